import { once } from 'node:events';
import type { PlaceNode, PlaceRef } from '../../model/export-records.js';

/**
 * Shared pieces of the exports (FollowTheMoney, ACLED, PROV-JSON, GraphML): the plain records the graph
 * layer pages out to the writers (declared in src/model/export-records.ts, re-exported here), a
 * backpressure-aware sink, progress reporting and the code tables the formats need. Nothing here talks to
 * the database; src/graph/stores/export.ts implements ExportReader.
 */

/** A graph record that an export left out, and why (so nothing disappears silently). */
export interface Skipped {
  id: string;
  reason: string;
}

export interface ExportResult {
  /** Records written: NDJSON lines, CSV rows, PROV records, GraphML nodes and edges. */
  records: number;
  skipped: Skipped[];
}

export type {
  AcledClaim,
  AcledFigure,
  Alias,
  EntityKind,
  ExportAcledEvent,
  ExportActor,
  ExportAgent,
  ExportClaim,
  ExportCounts,
  ExportEvent,
  ExportExcerpt,
  ExportFigure,
  ExportNode,
  ExportReader,
  ExportRelation,
  ExportSource,
  Identifier,
  Involvement,
  PlaceNode,
  PlaceRef,
} from '../../model/export-records.js';

/** Writes text to a stream, waiting for 'drain' when its buffer is full, so exports run in bounded memory. */
export class Sink {
  constructor(private readonly out: NodeJS.WritableStream) {}

  async write(chunk: string): Promise<void> {
    if (!chunk) return;
    if ((this.out as { destroyed?: boolean }).destroyed)
      throw new Error('The export output stream is closed');
    if (!this.out.write(chunk)) await drained(this.out);
  }
}

/** Resolves on 'drain'; rejects on 'error' (once() does that) or when the stream closes first. */
async function drained(out: NodeJS.WritableStream): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: ac.signal }),
      once(out, 'close', { signal: ac.signal }).then(() => {
        throw new Error('The export output stream closed before the export finished');
      }),
    ]);
  } finally {
    ac.abort();
  }
}

/** Reports progress per page: records read so far of the records counted when the export began. */
export class Progress {
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly report?: (done: number, total: number) => void,
  ) {}

  tick(n: number): void {
    this.done += n;
    // Records written concurrently may push done past the count taken at the start.
    this.report?.(this.done, Math.max(this.total, this.done));
  }
}

/** Places that are not ancestors of another place in the list (Rif Dimashq rather than Syria). */
export function mostSpecific(places: readonly PlaceRef[]): PlaceRef[] {
  const ancestors = new Set(places.flatMap((p) => p.ancestors.map((a) => a.id)));
  return places.filter((p) => !ancestors.has(p.id));
}

/** The place and its ancestors, nearest first, each once. */
export function lineage(place: PlaceRef): PlaceNode[] {
  const seen = new Set<string>();
  const out: PlaceNode[] = [];
  for (const p of [place, ...[...place.ancestors].sort((a, b) => a.depth - b.depth)]) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push(p);
  }
  return out;
}

/** The first place of the given type in the lineage (the place itself included). */
export function placeOfType(place: PlaceRef, type: string): PlaceNode | null {
  return lineage(place).find((p) => p.type === type) ?? null;
}

/**
 * ISO 3166-1 alpha-2 code (upper case) of the country a place lies in: from the iso3166 identifier of the
 * country place in its lineage, else from the prefix of an ISO 3166-2 subdivision code (SY-RD).
 */
export function countryCode(place: PlaceRef): string | null {
  const chain = lineage(place);
  for (const p of chain) {
    if (p.type !== 'country') continue;
    const id = p.identifiers.find((i) => i.scheme === 'iso3166' && /^[A-Za-z]{2}$/.test(i.value));
    if (id) return id.value.toUpperCase();
  }
  for (const p of chain) {
    const id = p.identifiers.find(
      (i) => i.scheme === 'iso3166' && /^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$/.test(i.value),
    );
    if (id) return id.value.slice(0, 2).toUpperCase();
  }
  return null;
}

const table = (packed: string, keyLength: number) =>
  new Map(packed.split(' ').map((e) => [e.slice(0, keyLength), e.slice(keyLength)] as const));

/** ISO 3166-1 alpha-2 -> numeric (from Debian iso-codes 4.15). */
const ISO_NUMERIC = table(
  'AD020 AE784 AF004 AG028 AI660 AL008 AM051 AO024 AQ010 AR032 AS016 AT040 AU036 AW533 AX248 AZ031 ' +
    'BA070 BB052 BD050 BE056 BF854 BG100 BH048 BI108 BJ204 BL652 BM060 BN096 BO068 BQ535 BR076 BS044 ' +
    'BT064 BV074 BW072 BY112 BZ084 CA124 CC166 CD180 CF140 CG178 CH756 CI384 CK184 CL152 CM120 CN156 ' +
    'CO170 CR188 CU192 CV132 CW531 CX162 CY196 CZ203 DE276 DJ262 DK208 DM212 DO214 DZ012 EC218 EE233 ' +
    'EG818 EH732 ER232 ES724 ET231 FI246 FJ242 FK238 FM583 FO234 FR250 GA266 GB826 GD308 GE268 GF254 ' +
    'GG831 GH288 GI292 GL304 GM270 GN324 GP312 GQ226 GR300 GS239 GT320 GU316 GW624 GY328 HK344 HM334 ' +
    'HN340 HR191 HT332 HU348 ID360 IE372 IL376 IM833 IN356 IO086 IQ368 IR364 IS352 IT380 JE832 JM388 ' +
    'JO400 JP392 KE404 KG417 KH116 KI296 KM174 KN659 KP408 KR410 KW414 KY136 KZ398 LA418 LB422 LC662 ' +
    'LI438 LK144 LR430 LS426 LT440 LU442 LV428 LY434 MA504 MC492 MD498 ME499 MF663 MG450 MH584 MK807 ' +
    'ML466 MM104 MN496 MO446 MP580 MQ474 MR478 MS500 MT470 MU480 MV462 MW454 MX484 MY458 MZ508 NA516 ' +
    'NC540 NE562 NF574 NG566 NI558 NL528 NO578 NP524 NR520 NU570 NZ554 OM512 PA591 PE604 PF258 PG598 ' +
    'PH608 PK586 PL616 PM666 PN612 PR630 PS275 PT620 PW585 PY600 QA634 RE638 RO642 RS688 RU643 RW646 ' +
    'SA682 SB090 SC690 SD729 SE752 SG702 SH654 SI705 SJ744 SK703 SL694 SM674 SN686 SO706 SR740 SS728 ' +
    'ST678 SV222 SX534 SY760 SZ748 TC796 TD148 TF260 TG768 TH764 TJ762 TK772 TL626 TM795 TN788 TO776 ' +
    'TR792 TT780 TV798 TW158 TZ834 UA804 UG800 UM581 US840 UY858 UZ860 VA336 VC670 VE862 VG092 VI850 ' +
    'VN704 VU548 WF876 WS882 YE887 YT175 ZA710 ZM894 ZW716',
  2,
);

/** ISO 639-1 -> ISO 639-2/T (three letters, as FtM's language type uses; from Debian iso-codes 4.15). */
const ISO_639_3 = table(
  'aaaar ababk aeave afafr akaka amamh anarg arara asasm avava ayaym azaze babak bebel bgbul bhbih ' +
    'bibis bmbam bnben bobod brbre bsbos cacat ceche chcha cocos crcre csces cuchu cvchv cycym dadan ' +
    'dedeu dvdiv dzdzo eeewe elell eneng eoepo esspa etest eueus fafas ffful fifin fjfij fofao frfra ' +
    'fyfry gagle gdgla glglg gngrn guguj gvglv hahau heheb hihin hohmo hrhrv hthat huhun hyhye hzher ' +
    'iaina idind ieile igibo iiiii ikipk ioido isisl itita iuiku jajpn jvjav kakat kgkon kikik kjkua ' +
    'kkkaz klkal kmkhm knkan kokor krkau kskas kukur kvkom kwcor kykir lalat lbltz lglug lilim lnlin ' +
    'lolao ltlit lulub lvlav mgmlg mhmah mimri mkmkd mlmal mnmon mrmar msmsa mtmlt mymya nanau nbnob ' +
    'ndnde nenep ngndo nlnld nnnno nonor nrnbl nvnav nynya ococi ojoji omorm orori ososs papan pipli ' +
    'plpol pspus ptpor quque rmroh rnrun roron rurus rwkin sasan scsrd sdsnd sesme sgsag sisin skslk ' +
    'slslv smsmo snsna sosom sqsqi srsrp ssssw stsot susun svswe swswa tatam tetel tgtgk ththa titir ' +
    'tktuk tltgl tntsn toton trtur tstso tttat twtwi tytah uguig ukukr ururd uzuzb veven vivie vovol ' +
    'wawln wowol xhxho yiyid yoyor zazha zhzho zuzul',
  2,
);

/** ISO 3166-1 numeric code of an alpha-2 code, as a number (760 for SY); null when unknown. */
export function isoNumeric(alpha2: string): number | null {
  const n = ISO_NUMERIC.get(alpha2.toUpperCase());
  return n === undefined ? null : Number(n);
}

/** Three-letter language code of a BCP 47 tag (en -> eng, ar-SY -> ara); null when not in the table. */
export function language3(tag: string): string | null {
  const primary = tag.toLowerCase().split('-')[0] ?? '';
  if (/^[a-z]{3}$/.test(primary)) return primary;
  return ISO_639_3.get(primary) ?? null;
}

/** An ISO 8601 instant as UTC seconds without zone (2026-11-25T10:00:00), as FtM dates expect. */
export function utcSeconds(instant: string | null): string | null {
  if (!instant) return null;
  const t = Date.parse(instant);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 19);
}
