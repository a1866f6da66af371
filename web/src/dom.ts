/** The page's fixed elements (web/index.html), looked up once. */
const $ = <T extends HTMLElement = HTMLElement>(sel: string) => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`index.html has no ${sel}`);
  return el;
};

export function findElements() {
  return {
    searchForm: $<HTMLFormElement>('#search-form'),
    searchInput: $<HTMLInputElement>('#search-input'),
    results: $('#results'),
    inView: $('#in-view'),
    inViewCount: $('#inview-count'),
    kinds: $('#kinds'),
    who: $('#who'),
    notice: $('#notice'),
    graph: $('#graph'),
    timeline: $('#timeline'),
    panel: $('#panel'),
    pathFrom: $('#path-from'),
    pathTo: $('#path-to'),
    findPath: $<HTMLButtonElement>('#find-path'),
    clearPath: $<HTMLButtonElement>('#clear-path'),
    limit: $<HTMLSelectElement>('#limit'),
    fit: $<HTMLButtonElement>('#fit'),
    exportPng: $<HTMLButtonElement>('#export-png'),
    exportJson: $<HTMLButtonElement>('#export-json'),
    clearView: $<HTMLButtonElement>('#clear-view'),
    keyButton: $<HTMLButtonElement>('#key-button'),
    keyDialog: $<HTMLDialogElement>('#key-dialog'),
    keyInput: $<HTMLInputElement>('#key-input'),
  };
}

export type Elements = ReturnType<typeof findElements>;
