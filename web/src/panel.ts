/**
 * The side panel: the evidence for the selected node or edge. Every claim with its exact excerpts
 * (highlighted inside their source's text on request), who said it, the sources' metadata, and a flag
 * where sources disagree.
 */
import { excerptBlock } from './excerpt.js';
import { formatDate, formatNumber, formatRange, h } from './format.js';
import type { ClaimPartsFragment } from './generated/graphql.js';
import { CLAIMS_PAGE, type Provenance } from './model.js';

type Source = Provenance['sources'][number];

const RELIABILITY: Record<string, string> = {
  highly_reliable: 'A — highly reliable',
  usually_reliable: 'B — usually reliable',
  fairly_reliable: 'C — fairly reliable',
  not_usually_reliable: 'D — not usually reliable',
  highly_unreliable: 'E — highly unreliable',
  unknown: 'F — reliability unknown',
};

export interface PanelActions {
  header?: HTMLElement[];
  connections?: HTMLElement | null;
  /** Fetches the next page of claims after a cursor. */
  more?: (after: string) => Promise<Provenance>;
}

function claimValue(c: ClaimPartsFragment): string | null {
  if (c.figure)
    return c.figure.text
      ? `${c.figure.text} (${formatNumber(c.figure.value)})`
      : formatNumber(c.figure.value);
  return c.value ?? null;
}

function conflictNote(c: ClaimPartsFragment): HTMLElement | null {
  if (!c.conflicts.length) return null;
  const mine = claimValue(c) ?? c.summary;
  return h(
    'div',
    { class: 'conflict', role: 'note', 'data-testid': 'conflict' },
    h('strong', {}, '⚠ Sources disagree. '),
    `This claim says ${mine}; `,
    ...c.conflicts.flatMap((o, i) => [
      i ? '; ' : '',
      h(
        'span',
        { dir: 'auto' },
        o.figure ? (o.figure.text ?? formatNumber(o.figure.value)) : (o.value ?? o.summary),
      ),
      ` (${o.id})`,
    ]),
    ' says otherwise. Both are kept.',
  );
}

function claimBlock(c: ClaimPartsFragment): HTMLElement {
  const value = claimValue(c);
  const attribution = [...c.attribution].sort((a, b) => a.hop - b.hop).map((a) => a.agent.name);
  return h(
    'article',
    { class: `claim status-${c.status}`, 'data-claim': c.id, 'aria-label': `Claim ${c.id}` },
    h(
      'header',
      {},
      h('span', { class: 'kind' }, c.kind),
      c.status !== 'asserted' ? h('span', { class: `badge ${c.status}` }, c.status) : null,
      c.sensitivity !== 'public' ? h('span', { class: 'badge restricted' }, c.sensitivity) : null,
      c.confidence != null ? h('span', { class: 'muted' }, `confidence ${c.confidence}`) : null,
    ),
    h('p', { dir: 'auto' }, c.summary),
    value ? h('p', { class: 'value' }, h('strong', {}, 'Value: '), h('span', { dir: 'auto' }, value)) : null,
    conflictNote(c),
    attribution.length
      ? h('p', { class: 'attribution' }, 'According to ', h('span', { dir: 'auto' }, attribution.join(' ← ')))
      : null,
    ...c.excerpts.map(excerptBlock),
    h('p', { class: 'muted small' }, `${c.id} · recorded by ${c.recordedBy} at ${c.recordedAt}`),
  );
}

function sourceBlock(s: Source): HTMLElement {
  const row = (term: string, ...value: (Node | string)[]) => [h('dt', {}, term), h('dd', {}, ...value)];
  const published = s.published
    ? `${formatDate(s.published)} (precision: ${s.published.precision}${s.published.qualifier !== 'exact' ? `, ${s.published.qualifier}` : ''})`
    : 'unknown';
  return h(
    'section',
    { class: 'source', 'data-source': s.id },
    h('h4', { dir: 'auto' }, s.title),
    h(
      'dl',
      {},
      ...row('Publisher', s.publisher ? h('span', { dir: 'auto' }, s.publisher.name) : 'unknown'),
      ...row(
        'Published',
        published,
        s.published?.text ? h('span', { class: 'muted' }, ` — ${s.published.text}`) : '',
      ),
      ...(s.published && formatRange(s.published) ? row('Date range', formatRange(s.published) || '') : []),
      ...row('Reliability', RELIABILITY[s.reliability] ?? s.reliability),
      ...row('Language', s.language),
      ...row('SHA-256', h('code', { class: 'hash' }, s.sha256)),
      ...row('Length', `${formatNumber(s.length)} characters`),
      ...(s.retrievedAt ? row('Retrieved', s.retrievedAt) : []),
      ...(s.url ? row('URL', h('span', { class: 'url' }, s.url)) : []),
      ...(s.sensitivity !== 'public' ? row('Sensitivity', s.sensitivity) : []),
    ),
  );
}

/** The first page of claims, and a button that asks the server for the next one. */
function claimList(p: Provenance, more: (after: string) => Promise<Provenance>): HTMLElement[] {
  const list = h('div', { class: 'claims' }, ...p.claims.map(claimBlock));
  const button = h('button', { type: 'button', class: 'more', 'data-action': 'more-claims' });
  let shown = p.claims.length;
  let cursor = p.pageInfo.endCursor;
  const update = (hasNext: boolean) => {
    const left = p.totalClaims - shown;
    button.textContent = `Show ${Math.min(left, CLAIMS_PAGE)} more (${left} not shown)`;
    button.hidden = !hasNext || left <= 0;
  };
  button.addEventListener('click', async () => {
    if (!cursor) return;
    button.disabled = true;
    try {
      const next = await more(cursor);
      list.append(...next.claims.map(claimBlock));
      shown += next.claims.length;
      cursor = next.pageInfo.endCursor;
      update(next.pageInfo.hasNextPage);
    } catch {
      // The error is already shown in the notice; the button stays for another try.
    } finally {
      button.disabled = false;
    }
  });
  update(p.pageInfo.hasNextPage);
  return [list, button];
}

export function renderProvenance(panel: HTMLElement, p: Provenance, actions: PanelActions = {}): void {
  const conflicts = p.claims.filter((c) => c.conflicts.length).length;
  const parts: (HTMLElement | null | undefined)[] = [
    h(
      'header',
      { class: 'panel-head' },
      h('h2', { dir: 'auto', id: 'panel-title' }, p.label),
      h('p', { class: 'muted' }, `${p.kind} · `, h('code', {}, p.id)),
      ...(actions.header ?? []),
    ),
    actions.connections,
    h('h3', {}, `Claims (${p.totalClaims})`),
    conflicts
      ? h('p', { class: 'conflict-summary' }, `⚠ ${conflicts} of these claims conflict with other claims.`)
      : null,
    p.claims.length ? null : h('p', { class: 'muted' }, 'No claims about this record are visible to you.'),
    ...claimList(p, actions.more ?? (() => Promise.reject(new Error('no more claims')))),
    h(
      'h3',
      {},
      p.pageInfo.hasNextPage
        ? `Sources of the first ${p.claims.length} claims (${p.sources.length})`
        : `Sources (${p.sources.length})`,
    ),
    ...p.sources.map(sourceBlock),
  ];
  panel.replaceChildren(...parts.filter((x): x is HTMLElement => !!x));
}

export function renderPanelMessage(panel: HTMLElement, title: string, text: string): void {
  panel.replaceChildren(
    h('header', { class: 'panel-head' }, h('h2', { id: 'panel-title' }, title)),
    h('p', {}, text),
  );
}
