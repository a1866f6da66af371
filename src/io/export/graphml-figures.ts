import type { ExportFigure } from './index.js';

/**
 * What the figures about an entity say, as attributes of its GraphML node (an event's "1,160 released" and
 * "nearly 1,168 released" are two claims, and both stay visible):
 *
 * - `figures` (text): every value per measure, "people_released=1160|1168; people_released (women)=40";
 *   a range is "min-max", an open one ">=min" or "<=max"; units other than people follow the number. Values
 *   for different periods of the same measure also appear side by side: the text lists, it does not judge.
 * - `<measure>_min` / `<measure>_max` (double): the lowest and highest values the whole-population figures of
 *   a measure give (figures of a subgroup are left out of these), so Gephi can size or filter nodes by them;
 *   `<measure>_<unit>_min` when one measure comes in several units.
 *
 * Figures whose claim was retracted, or whose claim the caller may not see, count for neither.
 */

type Amount = Pick<
  ExportFigure,
  'measure' | 'value' | 'min' | 'max' | 'unit' | 'subgroup' | 'sex' | 'ageGroup' | 'category'
>;

/** A numeric figure attribute: its GraphML key id and attribute name. */
export interface FigureKey {
  id: string;
  name: string;
}

const subgroupOf = (f: Amount) =>
  f.subgroup ?? ([f.sex, f.ageGroup, f.category].filter(Boolean).join(', ') || null);

/** The figure's amount as text: 1160, 1000-1200, >=1000, <=50; "30 days", "12 percent". */
export function amountText(f: Amount): string {
  const n =
    f.value !== null
      ? String(f.value)
      : f.min !== null && f.max !== null
        ? `${f.min}-${f.max}`
        : f.min !== null
          ? `>=${f.min}`
          : f.max !== null
            ? `<=${f.max}`
            : '?';
  return f.unit === 'people' ? n : `${n} ${f.unit}`;
}

/** Figures read once (before the nodes are written), summarised per subject. */
export class FigureSummaries {
  private readonly bySubject = new Map<string, Amount[]>();
  private readonly units = new Map<string, Set<string>>();
  private keys: Map<string, FigureKey> | null = null;

  add(f: ExportFigure): void {
    if (!f.subjectId || f.claimStatus === null || f.claimStatus === 'retracted') return;
    const amount: Amount = {
      measure: f.measure,
      value: f.value,
      min: f.min,
      max: f.max,
      unit: f.unit,
      subgroup: f.subgroup,
      sex: f.sex,
      ageGroup: f.ageGroup,
      category: f.category,
    };
    const list = this.bySubject.get(f.subjectId) ?? [];
    list.push(amount);
    this.bySubject.set(f.subjectId, list);
    if (subgroupOf(amount) === null) {
      const units = this.units.get(f.measure) ?? new Set();
      units.add(f.unit);
      this.units.set(f.measure, units);
    }
  }

  /** The numeric attribute stem of a whole-population figure: its measure, and its unit when needed. */
  private stem(f: Amount): string {
    return (this.units.get(f.measure)?.size ?? 0) > 1 ? `${f.measure}_${f.unit}` : f.measure;
  }

  /** The numeric keys (attribute name -> key), in name order; key ids are XML name tokens, unique. */
  numericKeys(): Map<string, FigureKey> {
    if (this.keys) return this.keys;
    const stems = new Set<string>();
    for (const list of this.bySubject.values())
      for (const f of list) if (subgroupOf(f) === null) stems.add(this.stem(f));
    const names = [...stems].sort().flatMap((s) => [`${s}_min`, `${s}_max`]);
    const ids = new Set<string>();
    this.keys = new Map(
      names.map((name) => {
        const base = `fig_${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
        let id = base;
        for (let i = 2; ids.has(id); i += 1) id = `${base}_${i}`;
        ids.add(id);
        return [name, { id, name }];
      }),
    );
    return this.keys;
  }

  /** The `figures` text of a subject (null when no figure counts for it). */
  text(subjectId: string): string | null {
    const list = this.bySubject.get(subjectId);
    if (!list?.length) return null;
    const groups = new Map<string, { low: number; text: string }[]>();
    for (const f of list) {
      const sub = subgroupOf(f);
      const label = sub ? `${f.measure} (${sub})` : f.measure;
      const values = groups.get(label) ?? [];
      const text = amountText(f);
      if (!values.some((v) => v.text === text))
        values.push({ low: f.value ?? f.min ?? f.max ?? Number.POSITIVE_INFINITY, text });
      groups.set(label, values);
    }
    return [...groups]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(
        ([label, values]) =>
          `${label}=${values
            .sort((a, b) => a.low - b.low)
            .map((v) => v.text)
            .join('|')}`,
      )
      .join('; ');
  }

  /** Key id -> value of the numeric attributes of a subject. */
  extents(subjectId: string): Record<string, number> {
    const keys = this.numericKeys();
    const out: Record<string, number> = {};
    for (const f of this.bySubject.get(subjectId) ?? []) {
      if (subgroupOf(f) !== null) continue;
      const stem = this.stem(f);
      const low = f.value ?? f.min;
      const high = f.value ?? f.max;
      const minKey = keys.get(`${stem}_min`)!.id;
      const maxKey = keys.get(`${stem}_max`)!.id;
      if (low !== null) out[minKey] = Math.min(out[minKey] ?? low, low);
      if (high !== null) out[maxKey] = Math.max(out[maxKey] ?? high, high);
    }
    return out;
  }
}
