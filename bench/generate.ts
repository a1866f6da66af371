/**
 * A deterministic synthetic graph with the shape of investigators' data, written as hrkg-bundle/1 chunks
 * so that it is loaded through the project's own import path (src/services/import.ts loadBundle).
 *
 * - Places: Syria, its 14 governorates and real towns, with Arabic and English names and transliterations,
 *   nested with PART_OF (claims quoting a gazetteer source).
 * - Actors: events / 10 of them, chosen for events with a Zipf law (power-law degree: a few security
 *   branches are hubs), with Arabic aliases; persons and groups are MEMBER_OF a public body.
 * - Events: fuzzy dates (day, month, year, periods) 2011–2024, OCCURRED_IN a town, INVOLVED_IN actors in
 *   roles, figures (people arrested, deaths in custody, releases); one event in ten has two sources that
 *   disagree on the number (1,160 vs 1,168), which the API reports as a conflict.
 * - Sources: one report per two events, with a publisher, a fuzzy publication date and the sentences its
 *   claims quote; every quoted sentence carries a case reference so that it occurs exactly once.
 *
 * Every id starts with a `bx` segment so that generated records never collide with the sample graph.
 * The same scale and seed always give byte-identical bundles (seeded PRNG, no clock).
 */
import { createHash } from 'node:crypto';
import type { BundleInput } from '../src/io/bundle/schema.js';

type Bundle = Omit<
  BundleInput,
  'sources' | 'actors' | 'places' | 'events' | 'claims' | 'links' | 'description'
> & {
  description: string;
  sources: Record<string, unknown>[];
  actors: Record<string, unknown>[];
  places: Record<string, unknown>[];
  events: Record<string, unknown>[];
  claims: Record<string, unknown>[];
};

/** mulberry32: small, fast, good enough for synthetic data, and the same on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** Cumulative Zipf weights 1/k^s for ranks 1..n; sample with binary search. */
function zipf(n: number, s: number): (rand: () => number) => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / Math.pow(k + 1, s);
  return (rand) => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

// The 14 governorates with a few real towns each: [English, Arabic, transliteration variants].
type Name = readonly [string, string, ...string[]];
const GOVERNORATES: readonly { name: Name; iso: string; towns: readonly Name[] }[] = [
  {
    name: ['Damascus', 'دمشق', 'Dimashq'],
    iso: 'SY-DI',
    towns: [
      ['Mezzeh', 'المزة', 'Al-Mazzeh'],
      ['Kafr Sousa', 'كفرسوسة', 'Kafr Souseh'],
      ['Qaboun', 'القابون', 'Al-Qaboun'],
      ['Barzeh', 'برزة', 'Barza'],
      ['Yarmouk', 'اليرموك', 'Al-Yarmuk'],
    ],
  },
  {
    name: ['Rif Dimashq', 'ريف دمشق', 'Rural Damascus', 'Reef Dimashq'],
    iso: 'SY-RD',
    towns: [
      ['Douma', 'دوما', 'Duma'],
      ['Darayya', 'داريا', 'Daraya'],
      ['Zabadani', 'الزبداني', 'Al-Zabadani'],
      ['Saydnaya', 'صيدنايا', 'Sednaya'],
      ['Qudsaya', 'قدسيا', 'Qudssaya'],
      ['Harasta', 'حرستا', 'Harista'],
    ],
  },
  {
    name: ['Aleppo', 'حلب', 'Halab'],
    iso: 'SY-HL',
    towns: [
      ['Manbij', 'منبج', 'Menbij'],
      ['Al-Bab', 'الباب', 'Al Bab'],
      ['Azaz', 'اعزاز', "A'zaz"],
      ['Afrin', 'عفرين', 'Efrin'],
      ['Jarabulus', 'جرابلس', 'Jarablus'],
      ['Tal Rifaat', 'تل رفعت', "Tell Rif'at"],
    ],
  },
  {
    name: ['Homs', 'حمص', 'Hims'],
    iso: 'SY-HI',
    towns: [
      ['Al-Rastan', 'الرستن', 'Rastan'],
      ['Talbiseh', 'تلبيسة', 'Talbisa'],
      ['Al-Qusayr', 'القصير', 'Qusair'],
      ['Palmyra', 'تدمر', 'Tadmur'],
      ['Tal Kalakh', 'تلكلخ', 'Tall Kalakh'],
    ],
  },
  {
    name: ['Hama', 'حماة', 'Hamah'],
    iso: 'SY-HM',
    towns: [
      ['Salamiyah', 'السلمية', 'Salamiyeh'],
      ['Mhardeh', 'محردة', 'Muhradah'],
      ['Kafr Zita', 'كفرزيتا', 'Kafr Zeita'],
      ['Suqaylabiyah', 'السقيلبية', 'Skelbiyeh'],
    ],
  },
  {
    name: ['Latakia', 'اللاذقية', 'Al-Ladhiqiyah', 'Lattakia'],
    iso: 'SY-LA',
    towns: [
      ['Jableh', 'جبلة', 'Jabla'],
      ['Al-Haffah', 'الحفة', 'Haffeh'],
      ['Qardaha', 'القرداحة', 'Al-Qardahah'],
    ],
  },
  {
    name: ['Tartus', 'طرطوس', 'Tartous'],
    iso: 'SY-TA',
    towns: [
      ['Baniyas', 'بانياس', 'Banias'],
      ['Safita', 'صافيتا', 'Safitah'],
      ['Dreikish', 'الدريكيش', 'Duraykish'],
    ],
  },
  {
    name: ['Idlib', 'إدلب', 'Idleb'],
    iso: 'SY-ID',
    towns: [
      ['Maarat al-Numan', 'معرة النعمان', "Ma'arrat al-Nu'man"],
      ['Saraqib', 'سراقب', 'Saraqeb'],
      ['Jisr al-Shughur', 'جسر الشغور', 'Jisr ash-Shughur'],
      ['Ariha', 'أريحا', 'Areeha'],
      ['Khan Shaykhun', 'خان شيخون', 'Khan Sheikhoun'],
    ],
  },
  {
    name: ['Raqqa', 'الرقة', 'Ar-Raqqah', 'Rakka'],
    iso: 'SY-RA',
    towns: [
      ['Tabqa', 'الطبقة', 'Al-Thawrah'],
      ['Tal Abyad', 'تل أبيض', 'Tell Abyad'],
      ['Maadan', 'معدان', "Ma'dan"],
    ],
  },
  {
    name: ['Deir ez-Zor', 'دير الزور', 'Deir al-Zour', 'Dayr az-Zawr'],
    iso: 'SY-DY',
    towns: [
      ['Al-Mayadin', 'الميادين', 'Mayadeen'],
      ['Al-Bukamal', 'البوكمال', 'Abu Kamal'],
      ['Hajin', 'هجين', 'Hajeen'],
      ['Al-Shuhayl', 'الشحيل', 'Shheil'],
    ],
  },
  {
    name: ['Al-Hasakah', 'الحسكة', 'Hasakeh', 'Hassakeh'],
    iso: 'SY-HA',
    towns: [
      ['Qamishli', 'القامشلي', 'Al-Qamishli'],
      ['Ras al-Ayn', 'رأس العين', 'Serekaniye'],
      ['Amuda', 'عامودا', 'Amude'],
      ['Al-Malikiyah', 'المالكية', 'Derik'],
    ],
  },
  {
    name: ['Daraa', 'درعا', "Dar'a", 'Deraa'],
    iso: 'SY-DR',
    towns: [
      ['Inkhil', 'إنخل', 'Inkhel'],
      ['Nawa', 'نوى', 'Nawa'],
      ['Busra al-Sham', 'بصرى الشام', 'Bosra'],
      ['Tafas', 'طفس', 'Tafs'],
      ['Al-Sanamayn', 'الصنمين', 'Sanamein'],
      ['Jasim', 'جاسم', 'Jassem'],
    ],
  },
  {
    name: ['As-Suwayda', 'السويداء', 'Sweida', 'Suwayda'],
    iso: 'SY-SU',
    towns: [
      ['Shahba', 'شهبا', 'Shahba'],
      ['Salkhad', 'صلخد', 'Salkhad'],
      ['Al-Qurayya', 'القريا', 'Qrayya'],
    ],
  },
  {
    name: ['Quneitra', 'القنيطرة', 'Al-Quneitra', 'Kuneitra'],
    iso: 'SY-QU',
    towns: [
      ['Khan Arnabah', 'خان أرنبة', 'Khan Arnaba'],
      ['Jubata al-Khashab', 'جباتا الخشب', 'Jubata'],
    ],
  },
];

const FIRST: readonly [string, string][] = [
  ['Ahmad', 'أحمد'],
  ['Mohammad', 'محمد'],
  ['Khaled', 'خالد'],
  ['Omar', 'عمر'],
  ['Yusuf', 'يوسف'],
  ['Hassan', 'حسن'],
  ['Ali', 'علي'],
  ['Ibrahim', 'إبراهيم'],
  ['Mahmoud', 'محمود'],
  ['Samer', 'سامر'],
  ['Rami', 'رامي'],
  ['Tariq', 'طارق'],
  ['Bassel', 'باسل'],
  ['Fadi', 'فادي'],
  ['Nour', 'نور'],
  ['Rania', 'رانيا'],
  ['Huda', 'هدى'],
  ['Maryam', 'مريم'],
  ['Lina', 'لينا'],
  ['Razan', 'رزان'],
  ['Wael', 'وائل'],
  ['Ziad', 'زياد'],
  ['Jamil', 'جميل'],
  ['Adnan', 'عدنان'],
];
const FAMILY: readonly [string, string][] = [
  ['al-Hariri', 'الحريري'],
  ['al-Masri', 'المصري'],
  ['Haddad', 'حداد'],
  ['al-Khatib', 'الخطيب'],
  ['Darwish', 'درويش'],
  ['al-Zoubi', 'الزعبي'],
  ['Qassem', 'قاسم'],
  ['al-Homsi', 'الحمصي'],
  ['Shami', 'الشامي'],
  ['al-Halabi', 'الحلبي'],
  ['Nasser', 'ناصر'],
  ['al-Ahmad', 'الأحمد'],
  ['Barakat', 'بركات'],
  ['al-Jabali', 'الجبلي'],
  ['Issa', 'عيسى'],
  ['Hamdan', 'حمدان'],
  ['al-Rifai', 'الرفاعي'],
  ['Sabbagh', 'الصباغ'],
  ['Tlass', 'طلاس'],
  ['al-Omari', 'العمري'],
];

const BRANCHES: readonly [string, string][] = [
  ['Military Intelligence Branch', 'فرع الأمن العسكري'],
  ['Air Force Intelligence Branch', 'فرع المخابرات الجوية'],
  ['Political Security Branch', 'فرع الأمن السياسي'],
  ['State Security Branch', 'فرع أمن الدولة'],
  ['Criminal Security Branch', 'فرع الأمن الجنائي'],
];

const EVENT_TYPES = [
  // [type, share, English label, Arabic label, measure of its figure or null, verb]
  ['arrest_detention', 0.4, 'Arrests', 'اعتقالات', 'people_arrested', 'arrested'],
  ['death_in_custody', 0.15, 'Deaths in custody', 'وفيات تحت التعذيب', 'deaths_in_custody', 'killed'],
  ['release_batch', 0.15, 'Release of detainees', 'إفراج عن معتقلين', 'people_released', 'released'],
  ['statement', 0.1, 'Statement', 'بيان', null, 'announced measures against'],
  ['other', 0.1, 'Raid', 'مداهمة', null, 'raided the homes of'],
  ['supervision', 0.05, 'Checkpoint supervision', 'إشراف على حاجز', null, 'supervised'],
  ['reporting_obligation', 0.05, 'Reporting obligation', 'إلزام بالمراجعة', null, 'summoned'],
] as const;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const SCALES = { smoke: 200, '10k': 10_000, '100k': 100_000, '1m': 1_000_000 } as const;
export type Scale = keyof typeof SCALES;

export interface Shape {
  events: number;
  actors: number;
  /** Events per bundle file (one transaction each). */
  chunk: number;
  seed: number;
}

export function shapeOf(events: number, seed = 42): Shape {
  return { events, actors: Math.max(120, Math.round(events / 10)), chunk: Math.min(2_000, events), seed };
}

interface Place {
  id: string;
  type: 'country' | 'governorate' | 'city';
  name: Name;
  parent: string | null;
  iso?: string;
}

export function places(): Place[] {
  const out: Place[] = [
    { id: 'pl-bx-syria', type: 'country', name: ['Syria', 'سوريا', 'Suriya'], parent: null },
  ];
  for (const g of GOVERNORATES) {
    const gid = `pl-bx-${slug(g.name[0])}`;
    out.push({ id: gid, type: 'governorate', name: g.name, parent: 'pl-bx-syria', iso: g.iso });
    for (const t of g.towns) out.push({ id: `pl-bx-${slug(t[0])}`, type: 'city', name: t, parent: gid });
  }
  return out;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

interface Actor {
  id: string;
  type: string;
  name: string;
  ar: string;
  aliases: { value: string; lang: string }[];
  /** A public body this actor is a member of (persons and groups), by rank. */
  memberOf: number | null;
}

/** Actor of Zipf rank k (0-based): the first ranks are security branches, the hubs of the graph. */
export function actorAt(k: number, shape: Shape): Actor {
  const rand = prng(shape.seed * 7919 + k);
  const id = `ac-bx-${String(k).padStart(6, '0')}`;
  if (k < 40) {
    const [en, ar] = BRANCHES[k % BRANCHES.length]!;
    const num = 200 + k * 7;
    return {
      id,
      type: 'public_body',
      name: `${en} ${num}`,
      ar: `${ar} ${num}`,
      aliases: [
        { value: `${ar} ${num}`, lang: 'ar' },
        { value: `Branch ${num}`, lang: 'en' },
      ],
      memberOf: null,
    };
  }
  const memberOf = Math.floor(rand() * 40);
  if (k % 3 === 0) {
    const g = pick(rand, GOVERNORATES);
    const t = pick(rand, g.towns);
    const n = k % 97;
    return {
      id,
      type: 'group',
      name: `Detainees of ${t[0]} group ${n}`,
      ar: `معتقلو ${t[1]} ${n}`,
      aliases: [{ value: `معتقلو ${t[1]} ${n}`, lang: 'ar' }],
      memberOf: null,
    };
  }
  const f = pick(rand, FIRST);
  const m = pick(rand, FIRST);
  const l = pick(rand, FAMILY);
  return {
    id,
    type: k % 3 === 1 ? 'person' : 'organization',
    name: k % 3 === 1 ? `${f[0]} ${m[0]} ${l[0]}` : `${l[0].replace(/^al-/, '')} Brigade ${k}`,
    ar: k % 3 === 1 ? `${f[1]} ${m[1]} ${l[1]}` : `كتيبة ${l[1]} ${k}`,
    aliases: [
      { value: k % 3 === 1 ? `${f[1]} ${m[1]} ${l[1]}` : `كتيبة ${l[1]} ${k}`, lang: 'ar' },
      ...(k % 3 === 1 ? [{ value: `${f[0]} ${l[0].replace('al-', 'el-')}`, lang: 'en' }] : []),
    ],
    memberOf,
  };
}

/** Monitors publishing the sources (also actors; small fixed set). */
const MONITORS: readonly [string, string][] = [
  ['Bench Monitor for Human Rights', 'المرصد التجريبي لحقوق الإنسان'],
  ['Bench Detainee Network', 'شبكة المعتقلين التجريبية'],
  ['Bench Documentation Centre', 'مركز التوثيق التجريبي'],
  ['Bench Local Committees', 'اللجان المحلية التجريبية'],
];
const monitorId = (i: number) => `ac-bx-monitor-${i}`;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const fmt = (n: number) => n.toLocaleString('en-US');

/** Event i's values, computed from i alone, so a query target can be found without generating everything. */
export function eventAt(i: number, shape: Shape, pickActor: (rand: () => number) => number) {
  const rand = prng(shape.seed * 104729 + i);
  let x = rand();
  let t: (typeof EVENT_TYPES)[number] = EVENT_TYPES[0];
  for (const candidate of EVENT_TYPES) {
    t = candidate;
    if ((x -= candidate[1]) < 0) break;
  }
  const gov = GOVERNORATES[Math.floor(Math.pow(rand(), 1.6) * GOVERNORATES.length)]!;
  const town = pick(rand, gov.towns);
  // A day between 2011-03-15 and 2024-12-31.
  const day0 = Date.UTC(2011, 2, 15);
  const day = new Date(day0 + Math.floor(rand() * 5037) * 86_400_000);
  const y = day.getUTCFullYear();
  const mo = day.getUTCMonth() + 1;
  const d = day.getUTCDate();
  const p = rand();
  let date: Record<string, unknown>;
  let endDate: Record<string, unknown> | null = null;
  let dateText: string;
  if (p < 0.6) {
    date = { value: `${y}-${pad(mo)}-${pad(d)}`, precision: 'day', qualifier: 'exact' };
    dateText = `${d} ${MONTHS[mo - 1]} ${y}`;
  } else if (p < 0.85) {
    const late = d > 20;
    date = {
      value: `${y}-${pad(mo)}`,
      precision: 'month',
      qualifier: late ? 'approximate' : 'exact',
      ...(late ? { text: `late ${MONTHS[mo - 1]} ${y}` } : {}),
    };
    dateText = late ? `late ${MONTHS[mo - 1]} ${y}` : `${MONTHS[mo - 1]} ${y}`;
  } else if (p < 0.95) {
    date = { value: `${y}`, precision: 'year', qualifier: 'exact' };
    dateText = `${y}`;
  } else {
    const end = new Date(day.getTime() + (2 + Math.floor(rand() * 60)) * 86_400_000);
    date = { value: `${y}-${pad(mo)}-${pad(d)}`, precision: 'day', qualifier: 'exact' };
    endDate = {
      value: `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}`,
      precision: 'day',
      qualifier: 'exact',
    };
    dateText = `between ${d} ${MONTHS[mo - 1]} ${y} and ${end.getUTCDate()} ${MONTHS[end.getUTCMonth()]} ${end.getUTCFullYear()}`;
  }
  const perpetrator = pickActor(rand);
  const victim = rand() < 0.5 ? pickActor(rand) : null;
  const count = 3 + Math.floor(Math.pow(rand(), 3) * 1500);
  const conflicting = t[4] !== null && rand() < 0.1;
  const acled = rand() < 0.3 ? `SYRBX${i}` : null;
  return { t, gov, town, date, endDate, dateText, perpetrator, victim, count, conflicting, acled };
}

export interface Generated {
  shape: Shape;
  /** One bundle per chunk, generated lazily so 1M events never sit in memory at once. */
  chunks: number;
  bundle(chunk: number): Bundle;
  /** Zipf sampler of actor ranks (shared with query target selection). */
  pickActor: (rand: () => number) => number;
}

export function generate(shape: Shape): Generated {
  const pickActor = zipf(shape.actors, 0.9);
  const allPlaces = places();
  const placeById = new Map(allPlaces.map((p) => [p.id, p]));
  const chunks = Math.ceil(shape.events / shape.chunk);
  const recordedAt = '2025-01-01T00:00:00Z';

  const placeRecord = (p: Place) => ({
    id: p.id,
    type: p.type,
    name: p.name[0],
    lang: 'en',
    aliases: [{ value: p.name[1], lang: 'ar' }, ...p.name.slice(2).map((value) => ({ value, lang: 'en' }))],
    identifiers: p.iso ? [{ scheme: 'iso3166', value: `${p.iso}-BX` }] : [],
  });
  const actorRecord = (a: Actor) => ({
    id: a.id,
    type: a.type,
    name: a.name,
    lang: 'en',
    aliases: a.aliases,
  });

  function bundle(c: number): Bundle {
    const rand = prng(shape.seed * 31 + c);
    const first = c * shape.chunk;
    const last = Math.min(shape.events, first + shape.chunk);
    const actors = new Map<number, Actor>();
    const useActor = (k: number) => {
      let a = actors.get(k);
      if (!a) actors.set(k, (a = actorAt(k, shape)));
      return a.id;
    };
    const sources: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    const claims: Record<string, unknown>[] = [];

    // Chunk 0 carries the gazetteer: the place hierarchy, each PART_OF quoted from one source.
    if (c === 0) {
      const lines: string[] = [];
      for (const p of allPlaces) {
        if (!p.parent) continue;
        const parent = placeById.get(p.parent)!;
        const line = `${p.name[0]} (${p.name[1]}) lies in ${parent.name[0]} (${parent.name[1]}).`;
        lines.push(line);
        claims.push({
          id: `cl-bx-gaz-${p.id.slice(6)}`,
          subject: p.id,
          summary: `${p.name[0]} is part of ${parent.name[0]}`,
          relation: { type: 'PART_OF', object: parent.id },
          source: 'src-bx-gazetteer',
          quotes: [line],
        });
      }
      sources.push(source('src-bx-gazetteer', 'Gazetteer of Syrian places (bench)', lines.join('\n'), 0));
    }

    // Memberships of the actors whose rank falls to this chunk (every actor once over all chunks).
    const memberLines: string[] = [];
    for (let k = 40 + c; k < shape.actors; k += chunks) {
      const a = actorAt(k, shape);
      if (a.memberOf === null) continue;
      const body = actorAt(a.memberOf, shape);
      useActor(k);
      useActor(a.memberOf);
      const line = `${a.name} (${a.ar}) serves with the ${body.name} [profile ${k}].`;
      memberLines.push(line);
      claims.push({
        id: `cl-bx-mem-${k}`,
        subject: a.id,
        summary: `${a.name} is a member of ${body.name}`,
        relation: { type: 'MEMBER_OF', object: body.id },
        source: `src-bx-profiles-${c}`,
        quotes: [line],
        attributedTo: [monitorId(c % MONITORS.length)],
      });
    }
    if (memberLines.length) {
      sources.push(
        source(
          `src-bx-profiles-${c}`,
          `Profiles of security personnel, part ${c + 1} (bench)`,
          memberLines.join('\n'),
          c,
        ),
      );
    }

    // Events in pairs: one report per two events; conflicting figures are quoted from the pair's other report.
    const texts = new Map<string, string[]>();
    const say = (src: string, line: string) => {
      let t = texts.get(src);
      if (!t) texts.set(src, (t = []));
      t.push(line);
      return line;
    };
    for (let i = first; i < last; i++) {
      const e = eventAt(i, shape, pickActor);
      const [type, , en, ar, measure, verb] = e.t;
      const id = eventId(i);
      const pair = Math.floor(i / 2);
      const src = `src-bx-${pair}`;
      // The disagreeing figure comes from the neighbouring report (or the same one at a chunk's odd end).
      const otherPair = (pair ^ 1) * 2 < last ? pair ^ 1 : pair;
      const otherSrc = `src-bx-${otherPair}`;
      const town = `pl-bx-${slug(e.town[0])}`;
      const perp = actorAt(e.perpetrator, shape);
      useActor(e.perpetrator);
      events.push({
        id,
        type,
        name: `${en} in ${e.town[0]}, ${e.dateText}`,
        lang: 'en',
        aliases: [{ value: `${ar} في ${e.town[1]}`, lang: 'ar' }],
        identifiers: e.acled ? [{ scheme: 'acled', value: e.acled }] : [],
        date: e.date,
        ...(e.endDate ? { endDate: e.endDate } : {}),
      });
      const place = say(
        src,
        `On ${e.dateText}, the incident in ${e.town[0]} (${e.town[1]}), ${e.gov.name[0]} governorate, was documented [case ${i}-1].`,
      );
      claims.push({
        id: `cl-bx-${i}-place`,
        subject: id,
        summary: `${en} took place in ${e.town[0]}`,
        relation: { type: 'OCCURRED_IN', object: town },
        source: src,
        quotes: [place],
      });
      const did = say(src, `Witnesses said the ${perp.name} ${verb} residents there [case ${i}-2].`);
      claims.push({
        id: `cl-bx-${i}-perp`,
        subject: perp.id,
        summary: `${perp.name} ${verb} residents of ${e.town[0]}`,
        relation: {
          type: 'INVOLVED_IN',
          object: id,
          role: type === 'statement' || type === 'release_batch' ? 'issuer' : 'perpetrator',
        },
        source: src,
        quotes: [did],
        ...(rand() < 0.3 ? { attributedTo: [monitorId(i % MONITORS.length)] } : {}),
      });
      if (e.victim !== null && e.victim !== e.perpetrator) {
        const v = actorAt(e.victim, shape);
        useActor(e.victim);
        const line = say(src, `Among those affected were members of ${v.name} (${v.ar}) [case ${i}-3].`);
        claims.push({
          id: `cl-bx-${i}-victim`,
          subject: v.id,
          summary: `${v.name} was affected by the ${en.toLowerCase()}`,
          relation: { type: 'INVOLVED_IN', object: id, role: 'victim' },
          source: src,
          quotes: [line],
        });
      }
      if (measure) {
        const line = say(src, `The monitor counted ${fmt(e.count)} people in this case [case ${i}-4].`);
        claims.push({
          id: `cl-bx-${i}-count`,
          subject: id,
          summary: `${fmt(e.count)} ${measure.replace(/_/g, ' ')}`,
          figure: { measure, value: e.count, qualifier: 'exact', unit: 'people', text: fmt(e.count) },
          source: src,
          quotes: [line],
        });
        if (e.conflicting) {
          const other = e.count + 8;
          const line2 = say(
            otherSrc,
            `Another account put the number for case ${i} at ${fmt(other)} people [case ${i}-5].`,
          );
          claims.push({
            id: `cl-bx-${i}-count2`,
            subject: id,
            summary: `${fmt(other)} ${measure.replace(/_/g, ' ')}`,
            figure: { measure, value: other, qualifier: 'exact', unit: 'people', text: fmt(other) },
            source: otherSrc,
            quotes: [line2],
            attributedTo: [monitorId((i + 1) % MONITORS.length)],
          });
        }
      }
    }
    for (const [src, lines] of texts) {
      const n = Number(src.slice(7));
      sources.push(source(src, `Monthly documentation report no. ${n} (bench)`, lines.join('\n'), n));
    }
    sources.sort((a, b) => String(a.id).localeCompare(String(b.id)));

    const usedActors = [...actors.values()].map(actorRecord);
    return {
      format: 'hrkg-bundle/1',
      recordedBy: 'bench generator',
      recordedAt,
      description: `Synthetic bench graph, seed ${shape.seed}, events ${first}..${last - 1} of ${shape.events}`,
      sources,
      actors: [
        ...MONITORS.map(([name, arName], m) => ({
          id: monitorId(m),
          type: 'organization',
          name,
          lang: 'en',
          aliases: [{ value: arName, lang: 'ar' }],
        })),
        ...usedActors,
      ],
      places: allPlaces.map(placeRecord),
      events,
      claims,
    };
  }

  function source(id: string, title: string, text: string, n: number) {
    const day = new Date(Date.UTC(2012, 0, 1) + (n % 4000) * 86_400_000);
    return {
      id,
      text,
      sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
      title,
      publisher: monitorId(n % MONITORS.length),
      language: 'en',
      url: `https://bench.example.org/reports/${id.slice(4)}`,
      published: { value: day.toISOString().slice(0, 7), precision: 'month', qualifier: 'exact' },
      reliability: (['usually_reliable', 'fairly_reliable', 'highly_reliable'] as const)[n % 3],
    };
  }

  return { shape, chunks, bundle, pickActor };
}

export const eventId = (i: number) => `ev-bx-${String(i).padStart(7, '0')}`;
export const actorId = (k: number) => `ac-bx-${String(k).padStart(6, '0')}`;
