import { FigureSummaries, type FigureKey } from './graphml-figures.js';
import type {
  ExportFigure,
  ExportNode,
  ExportReader,
  ExportRelation,
  ExportResult,
  Progress,
  Sink,
  Skipped,
} from './index.js';

/**
 * GraphML (http://graphml.graphdrawing.org/) for Gephi, Cytoscape, yEd, networkx or igraph: entities and
 * figures as nodes (label, kind, type), relationships as directed edges (type, role, number of visible claims
 * as `claimCount` and as the `weight` Gephi reads, position and period where they have one), and each figure
 * linked to what it counts (FIGURE_OF), to the figure it is a share of (SHARE_OF) and to the event whose
 * period it covers (DURING). Node and edge ids are the graph's ids.
 *
 * What Gephi users reach for, typed so that readers give them back as such:
 * - events: `start` / `end`, the earliest and latest day the event's dates allow (ISO YYYY-MM-DD strings:
 *   GraphML has no date type, and Gephi's GraphML reader takes none; its Data Laboratory turns the two columns
 *   into the timeline's interval with "Merge columns → Create time interval", date format yyyy-MM-dd), and
 *   `date` / `endDate` as recorded, at their precision (2022-05 is a month);
 * - places: `latitude` / `longitude` (double) from the place's standing coordinate claims (GeoLayout);
 * - entities with figures: `figures` (every value per measure) and `<measure>_min` / `<measure>_max`
 *   (double), see ./graphml-figures.ts.
 *
 * All nodes are written before any edge, and an edge is written only when both ends were, so the document
 * stays consistent while the graph changes. Text is XML-escaped; characters XML 1.0 cannot carry at all
 * (control characters other than tab, CR and LF) become U+FFFD.
 */

const KEYS = [
  { id: 'label', for: 'node', name: 'label', type: 'string' },
  { id: 'kind', for: 'node', name: 'kind', type: 'string' },
  { id: 'type', for: 'node', name: 'type', type: 'string' },
  { id: 'start', for: 'node', name: 'start', type: 'string' },
  { id: 'end', for: 'node', name: 'end', type: 'string' },
  { id: 'date', for: 'node', name: 'date', type: 'string' },
  { id: 'end_date', for: 'node', name: 'endDate', type: 'string' },
  { id: 'latitude', for: 'node', name: 'latitude', type: 'double' },
  { id: 'longitude', for: 'node', name: 'longitude', type: 'double' },
  { id: 'figures', for: 'node', name: 'figures', type: 'string' },
  { id: 'edge_type', for: 'edge', name: 'type', type: 'string' },
  { id: 'role', for: 'edge', name: 'role', type: 'string' },
  { id: 'claims', for: 'edge', name: 'claimCount', type: 'int' },
  { id: 'weight', for: 'edge', name: 'weight', type: 'double' },
  { id: 'position', for: 'edge', name: 'position', type: 'string' },
  { id: 'period_start', for: 'edge', name: 'periodStart', type: 'string' },
  { id: 'period_end', for: 'edge', name: 'periodEnd', type: 'string' },
] as const;

type KeyId = (typeof KEYS)[number]['id'];
/** Data values by key id: the fixed keys, and the figure keys a document declares for its measures. */
type Values = Partial<Record<KeyId, string | number | null>> & Record<string, string | number | null>;

// Control characters are exactly what this pattern is for.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe in XML content and in double- or single-quoted attributes. */
export function xmlEscape(value: string): string {
  return value
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

const data = (values: Values) =>
  Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<data key="${k}">${xmlEscape(String(v))}</data>`)
    .join('');

/** An entity's node: its dates (events), coordinates (places) and what its figures say. */
export function nodeXml(n: ExportNode, figures?: FigureSummaries): string {
  const last = n.endDate ?? n.date;
  const values: Values = {
    label: n.name,
    kind: n.kind,
    type: n.type,
    start: n.date?.earliest ?? null,
    end: last?.latest ?? null,
    date: n.date?.value ?? null,
    end_date: n.endDate?.value ?? null,
    latitude: n.latitude,
    longitude: n.longitude,
    figures: figures?.text(n.id) ?? null,
    ...figures?.extents(n.id),
  };
  return `    <node id="${xmlEscape(n.id)}">${data(values)}</node>\n`;
}

export function figureLabel(f: ExportFigure): string {
  if (f.text) return f.text;
  const value = f.value ?? (f.min !== null || f.max !== null ? `${f.min ?? '?'}–${f.max ?? '?'}` : '?');
  return `${f.qualifier} ${value} ${f.unit}${f.subgroup ? ` (${f.subgroup})` : ''}`;
}

export function figureNodeXml(f: ExportFigure): string {
  return `    <node id="${xmlEscape(f.id)}">${data({ label: figureLabel(f), kind: 'Figure', type: f.measure })}</node>\n`;
}

function edgeXml(
  id: string,
  source: string,
  target: string,
  values: {
    edge_type: string;
    role?: string | null;
    claims: number;
    position?: string | null;
    period_start?: string | null;
    period_end?: string | null;
  },
): string {
  // The claims behind it, as the weight Gephi (and networkx's weighted algorithms) read.
  const all: Values = { ...values, weight: values.claims };
  return `    <edge id="${xmlEscape(id)}" source="${xmlEscape(source)}" target="${xmlEscape(target)}">${data(all)}</edge>\n`;
}

export function relationXml(r: ExportRelation): string {
  return edgeXml(r.id, r.fromId, r.toId, {
    edge_type: r.type,
    role: r.role,
    claims: r.claimIds.length,
    position: r.position,
    // A period's ends as ISO prefixes at their precision (the span of its claims' periods).
    period_start: r.periodStart?.value ?? r.periodStart?.earliest ?? null,
    period_end: r.periodEnd?.value ?? r.periodEnd?.latest ?? null,
  });
}

/** The figure's own edges (to its subject, the figure it is a share of, the event of its period). */
export function figureEdges(f: ExportFigure): { id: string; source: string; target: string; type: string }[] {
  const out: { id: string; source: string; target: string; type: string }[] = [];
  if (f.subjectId)
    out.push({ id: `${f.id}.figure_of`, source: f.id, target: f.subjectId, type: 'FIGURE_OF' });
  if (f.shareOfId) out.push({ id: `${f.id}.share_of`, source: f.id, target: f.shareOfId, type: 'SHARE_OF' });
  if (f.duringId) out.push({ id: `${f.id}.during`, source: f.id, target: f.duringId, type: 'DURING' });
  return out;
}

const keyXml = (k: { id: string; for: string; name: string; type: string }) =>
  `  <key id="${xmlEscape(k.id)}" for="${k.for}" attr.name="${xmlEscape(k.name)}" attr.type="${k.type}"/>`;

/** The document's start: the fixed keys, then a double node key per figure attribute. */
export function graphmlHeader(figureKeys: readonly FigureKey[] = []): string {
  const keys = [...KEYS, ...figureKeys.map((k) => ({ ...k, for: 'node', type: 'double' }))];
  return `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
${keys.map(keyXml).join('\n')}
  <graph id="hrkg" edgedefault="directed">
`;
}

export async function writeGraphml(
  reader: ExportReader,
  sink: Sink,
  progress: Progress,
): Promise<ExportResult> {
  const skipped: Skipped[] = [];
  const nodes = new Set<string>();
  let records = 0;
  // Figures first (they are few next to the entities), so that each entity's node carries what they say.
  const figures = new FigureSummaries();
  for await (const page of reader.figures()) for (const f of page) figures.add(f);
  await sink.write(graphmlHeader([...figures.numericKeys().values()]));

  for await (const page of reader.nodes()) {
    await sink.write(page.map((n) => nodeXml(n, figures)).join(''));
    for (const n of page) nodes.add(n.id);
    records += page.length;
    progress.tick(page.length);
  }
  for await (const page of reader.figures()) {
    await sink.write(page.map(figureNodeXml).join(''));
    for (const f of page) nodes.add(f.id);
    records += page.length;
    progress.tick(page.length);
  }

  for await (const page of reader.relations()) {
    const edges = page.filter((r) => nodes.has(r.fromId) && nodes.has(r.toId));
    await sink.write(edges.map(relationXml).join(''));
    records += edges.length;
  }
  for await (const page of reader.figures()) {
    const edges = page
      .filter((f) => nodes.has(f.id))
      .flatMap((f) =>
        figureEdges(f)
          .filter((e) => nodes.has(e.target))
          .map((e) =>
            edgeXml(e.id, e.source, e.target, { edge_type: e.type, claims: f.claimStatus ? 1 : 0 }),
          ),
      );
    await sink.write(edges.join(''));
    records += edges.length;
  }

  await sink.write('  </graph>\n</graphml>\n');
  return { records, skipped };
}

export const GRAPHML_COUNTED = ['actors', 'events', 'places', 'figures'] as const;
