/**
 * An excerpt as the panel shows it: the exact words with their context, where they are in their source,
 * and on request the source's full text with the words highlighted at their code-point offsets.
 */
import { request } from './api.js';
import { h, splitAtCodePoints } from './format.js';
import { SourceTextDocument, type ClaimPartsFragment } from './generated/graphql.js';

type Excerpt = ClaimPartsFragment['excerpts'][number];

export function excerptBlock(e: Excerpt): HTMLElement {
  const showInSource = h(
    'button',
    { type: 'button', class: 'link', 'data-action': 'show-in-source' },
    'Show in source',
  );
  const holder = h('div', { class: 'source-view' });
  showInSource.addEventListener('click', () => void showSourceText(holder, e, showInSource));
  return h(
    'figure',
    { class: 'excerpt', 'data-excerpt': e.id },
    h(
      'blockquote',
      { dir: 'auto' },
      e.prefix ? `…${e.prefix}` : '',
      h('mark', {}, e.exact),
      e.suffix ? `${e.suffix}…` : '',
    ),
    h(
      'figcaption',
      {},
      `Characters ${e.start}–${e.end} of `,
      h('cite', { dir: 'auto' }, e.source.title),
      ' · ',
      showInSource,
    ),
    holder,
  );
}

/** Loads the source's full text and highlights the excerpt at its offsets, checking the words match. */
async function showSourceText(holder: HTMLElement, e: Excerpt, button: HTMLButtonElement) {
  button.disabled = true;
  holder.replaceChildren(h('p', { class: 'muted' }, 'Loading the source…'));
  try {
    const data = await request(SourceTextDocument, { id: e.source.id });
    const text = data.node && 'text' in data.node ? data.node.text : null;
    if (text == null) {
      holder.replaceChildren(h('p', { class: 'error' }, 'The source text is not available to you.'));
      return;
    }
    const [before, at, after] = splitAtCodePoints(text, e.start, e.end);
    const mark = h(
      'mark',
      { class: 'in-source', 'data-start': String(e.start), 'data-end': String(e.end) },
      at,
    );
    const pre = h(
      'pre',
      {
        class: 'source-text',
        dir: 'auto',
        tabindex: '0',
        'aria-label': `Text of ${data.node && 'title' in data.node ? data.node.title : 'the source'}`,
      },
      before,
      mark,
      after,
    );
    holder.replaceChildren(
      at === e.exact
        ? h('p', { class: 'ok' }, '✓ The source has these exact words at these offsets.')
        : h('p', { class: 'error' }, '✗ The source text at these offsets differs from the excerpt.'),
      pre,
    );
    mark.scrollIntoView({ block: 'center' });
  } catch (err) {
    holder.replaceChildren(
      h('p', { class: 'error' }, `Could not load the source: ${(err as Error).message}`),
    );
  } finally {
    button.disabled = false;
  }
}
