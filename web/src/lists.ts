/**
 * The page's lists and controls outside the canvas: search results, the records in view (the canvas's
 * keyboard-reachable twin), the kind filter and the path finder's ends.
 */
import { h } from './format.js';
import type { GraphNodeKind } from './generated/graphql.js';
import { hitView, type SearchHit, type ViewNode } from './model.js';
import { ALL_KINDS } from './state.js';

export function renderResults(
  list: HTMLElement,
  hits: SearchHit[] | null,
  open: (kind: string, id: string) => void,
): void {
  if (!hits) {
    list.replaceChildren();
    return;
  }
  if (!hits.length) {
    list.replaceChildren(h('li', { class: 'muted' }, 'Nothing found (among the records visible to you).'));
    return;
  }
  list.replaceChildren(
    ...hits.map(hitView).map((hit) => {
      // Excerpts open their source; sources show their evidence; entities open in the graph.
      const b = h(
        'button',
        { type: 'button', class: `item kind-${hit.kind}`, 'data-id': hit.target, 'data-kind': hit.kind },
        h('span', { class: 'kind-tag' }, hit.kind.toLowerCase()),
        h('span', { dir: 'auto', class: 'name' }, hit.title),
        hit.matched !== null ? h('span', { dir: 'auto', class: 'matched' }, hit.matched) : null,
      );
      b.addEventListener('click', () => open(hit.kind, hit.target));
      return h('li', {}, b);
    }),
  );
}

/** The records in view, in list order, the selected one pressed. */
export function renderInView(
  list: HTMLElement,
  count: HTMLElement,
  nodes: ViewNode[],
  selected: string | null,
  select: (id: string) => void,
): void {
  count.textContent = nodes.length ? `(${nodes.length})` : '';
  list.replaceChildren(
    ...nodes.map((n) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: `item kind-${n.kind}`,
          'data-id': n.id,
          'aria-pressed': String(selected === n.id),
        },
        h('span', { class: 'kind-tag' }, n.kind.toLowerCase()),
        h('span', { dir: 'auto', class: 'name' }, n.label),
        n.facilityKind ? h('span', { class: 'facility-kind' }, ` (${n.facilityKind})`) : null,
        n.conflict ? h('span', { class: 'flag', title: 'Sources disagree about this figure' }, ' ⚠') : null,
        n.sensitivity !== 'public' ? h('span', { class: 'badge restricted' }, n.sensitivity) : null,
      );
      button.addEventListener('click', () => select(n.id));
      return h('li', {}, button);
    }),
  );
}

/** One checkbox per kind; a change reports the kinds ticked. */
export function renderKinds(
  fieldset: HTMLElement,
  ticked: readonly GraphNodeKind[],
  change: (kinds: GraphNodeKind[]) => void,
): void {
  fieldset.querySelectorAll('label').forEach((l) => l.remove());
  for (const kind of ALL_KINDS) {
    const box = h('input', { type: 'checkbox', value: kind, checked: ticked.includes(kind) });
    box.addEventListener('change', () =>
      change(
        ALL_KINDS.filter(
          (k) => fieldset.querySelector<HTMLInputElement>(`input[value="${k}"]`)?.checked ?? false,
        ),
      ),
    );
    fieldset.append(h('label', {}, box, ` ${kind.toLowerCase()}`));
  }
}

export function renderPathEnds(
  els: { pathFrom: HTMLElement; pathTo: HTMLElement; findPath: HTMLButtonElement },
  from: string | null,
  to: string | null,
  canFind: boolean,
): void {
  els.pathFrom.textContent = from ?? '(start not set)';
  els.pathTo.textContent = to ?? '(end not set)';
  els.pathFrom.title = els.pathFrom.textContent;
  els.pathTo.title = els.pathTo.textContent;
  els.findPath.disabled = !canFind;
}
