import path from 'node:path';
import type { RelationType } from '../../model/graph-model.js';
import type { Problem } from '../bundle/resolve.js';
import { clip, LineMap, slugId, type BundleDoc, type ConvertOptions, type ImportPlan } from './common.js';
import { proseDates } from './ftm-evidence.js';
import { coordinateFacts, fileSourceDoc, personFacts, topicFacts, type AttributeFact } from './ftm-fields.js';
import { documentationClaim, documentationRole, LINK_ENDS, linkAssertion } from './ftm-links.js';
import { all, first, readRecords, type FtmRecord, type Kind } from './ftm-read.js';
import { FtmRecords } from './ftm-records.js';
import { SkipCounter } from './ftm-schemata.js';

export { ftmDate } from './ftm-fields.js';
export { linkRelation } from './ftm-links.js';
export { parseFtmLine } from './ftm-read.js';
export type { ConvertOptions, ImportPlan } from './common.js';

/**
 * FollowTheMoney (FtM 3.8) NDJSON → an hrkg-bundle/1 document. One entity per line:
 * `{"id", "schema", "properties": {name: [...], ...}}`. What maps to what: README ("Exports and imports")
 * and src/io/import/ftm-schemata.ts (the schemata and properties read); everything else is counted in
 * ImportPlan.skipped, never a reason to refuse the file.
 *
 * Evidence: the file itself is stored as a source, and every derived claim quotes its own line with
 * code-point offsets. A claim about an entity whose `proof` is a document of the file with its text
 * (an Article with bodyText), or a Documentation's claim about its entity, cites that document instead
 * when its text holds the words the claim is about (ftm-evidence.ts), and quotes its line as well. An
 * Article's publisher (its `publisher` name, or a Documentation with role "publisher") becomes the
 * source's publisher.
 *
 * Ids are derived from FtM ids (`ac-ftm-<slug>`, see idPart), so importing a file again updates the same
 * records; the FtM id, exact case, is kept as an identifier {scheme: ftm}.
 */

/**
 * Step 2: the bundle records of the well-formed lines, each remembering its line. Entities and sources come
 * first (so that links, proofs and references can name them), then the claims in line order; publishers
 * named only by an Article's `publisher` and country places are made on first mention and listed last.
 */
class FtmConversion extends FtmRecords {
  convert(): void {
    const { records } = this.file;
    for (const r of records) this.addEntity(r);
    this.known = new Set([...this.actors, ...this.places, ...this.events].map((e) => e.id));
    for (const r of records) if (r.schema === 'UnknownLink') this.notePair(r);
    for (const r of records) this.addClaims(r);
    for (const r of records) if (r.kind === 'Source') this.namedPublisher(r);
    for (const { place, line } of this.madePlaces.values()) this.push(this.places, place, line);
  }

  private addClaims(r: FtmRecord) {
    if (r.kind === 'Link') return this.linkClaim(r);
    if (r.kind === 'Source' || !this.known.has(r.ourId)) return;
    const here = this.name(r.ourId);
    this.nameClaim(r);
    if (r.kind === 'Actor') {
      this.placeClaims(r, here, 'LOCATED_IN', 'is located in');
      this.addressClaims(r, here, 'LOCATED_IN', 'is located at');
      const person = r.schema === 'Person' ? personFacts(r) : { facts: topicFacts(r), problems: [] };
      for (const p of person.problems) this.problem(r, p);
      this.attributeClaims(r, here, person.facts);
    } else if (r.kind === 'Place') {
      this.placeClaims(r, here, 'PART_OF', 'lies in');
      const coords = coordinateFacts(r);
      if (coords.problem) this.problem(r, coords.problem);
      this.attributeClaims(r, here, coords.facts);
    } else {
      this.dateClaims(r, here);
      this.placeClaims(r, here, 'OCCURRED_IN', 'took place in');
      this.addressClaims(r, here, 'OCCURRED_IN', 'took place at');
      this.involvementClaims(r, here);
    }
  }

  private nameClaim(r: FtmRecord) {
    const names = this.names.get(r.ourId)!;
    const noun = r.kind.toLowerCase();
    this.claim(
      r,
      {
        id: `cl-ftm-${r.part}--name`,
        subject: r.ourId,
        summary: clip(`FtM ${r.schema} ${r.ftmId} names this ${noun} "${names[0]}".`, 2000),
        attribute: { property: 'name', value: names[0]! },
      },
      names,
    );
  }

  private attributeClaims(r: FtmRecord, here: string | undefined, facts: AttributeFact[]) {
    for (const f of facts) {
      this.claim(
        r,
        {
          id: `cl-ftm-${r.part}--${f.slot}`,
          subject: r.ourId,
          summary: clip(`FtM ${r.schema} ${r.ftmId} gives ${here} ${f.says}.`, 2000),
          attribute: { property: f.property, value: f.value },
        },
        f.words,
      );
    }
  }

  /**
   * The places a line names: country codes (a country place each) and, for actors and events, `location`
   * and `address` texts (an area named by the text, as our own export writes "Daraa, Syria").
   */
  private placeClaims(r: FtmRecord, here: string | undefined, type: RelationType, verb: string) {
    const texts = r.kind === 'Place' ? [] : [...all(r, 'location'), ...all(r, 'address')];
    const mentions = [
      ...all(r, 'country').map((c, i) => [`country-${i + 1}`, 'country', this.countryPlace(r, c)] as const),
      ...texts.map((t, i) => [`location-${i + 1}`, 'location', this.textPlace(r, t)] as const),
    ];
    for (const [slot, prop, place] of mentions) {
      if (!place) continue;
      const name = this.name(place)!;
      this.claim(
        r,
        {
          id: `cl-ftm-${r.part}--${slot}`,
          subject: r.ourId,
          summary: clip(`${here} ${verb} ${name} (FtM ${r.schema} ${r.ftmId}, ${prop}).`, 2000),
          relation: { type, object: place },
        },
        [name, name.split(',')[0]!],
      );
    }
  }

  private addressClaims(r: FtmRecord, here: string | undefined, type: RelationType, verb: string) {
    all(r, 'addressEntity').forEach((a, i) => {
      const target = this.ref(r, 'addressEntity', a, ['Place']);
      if (!target || !this.known.has(target.ourId)) return;
      this.claim(
        r,
        {
          id: `cl-ftm-${r.part}--address-${i + 1}`,
          subject: r.ourId,
          summary: clip(
            `${here} ${verb} ${this.name(target.ourId)} (FtM ${r.schema} ${r.ftmId}, address).`,
            2000,
          ),
          relation: { type, object: target.ourId },
        },
        this.names.get(target.ourId),
      );
    });
  }

  private dateClaims(r: FtmRecord, here: string | undefined) {
    const ev = this.events.find((e) => e.id === r.ourId)!;
    for (const [prop, d] of [
      ['date', ev.date],
      ['endDate', ev.endDate],
    ] as const) {
      if (!d) continue;
      const noun = prop === 'date' ? 'date' : 'end date';
      this.claim(
        r,
        {
          id: `cl-ftm-${r.part}--${prop === 'date' ? 'date' : 'end-date'}`,
          subject: r.ourId,
          summary: clip(`FtM Event ${r.ftmId} gives ${here} the ${noun} ${d.text ?? d.value}.`, 2000),
          attribute: { property: prop, value: d },
        },
        proseDates(d.value ?? ''),
      );
    }
  }

  /** Organizers (implementers) and other involved actors of an event, unless a link of the file gives the role. */
  private involvementClaims(r: FtmRecord, here: string | undefined) {
    for (const [prop, role] of [
      ['organizer', 'implementer'],
      ['involved', 'other'],
    ] as const) {
      all(r, prop).forEach((a, i) => {
        if (this.linkedPairs.has(`${a}|${r.ftmId}`)) return;
        const actor = this.ref(r, prop, a, ['Actor']);
        if (!actor || !this.known.has(actor.ourId)) return;
        this.claim(
          r,
          {
            id: `cl-ftm-${r.part}--${prop}-${i + 1}`,
            subject: actor.ourId,
            summary: clip(
              `${this.name(actor.ourId)} was involved in ${here} (FtM Event ${r.ftmId}, ${prop}).`,
              2000,
            ),
            relation: { type: 'INVOLVED_IN', object: r.ourId, role },
          },
          this.names.get(actor.ourId),
        );
      });
    }
  }

  /** The two ends of a link, when both are entities of the file the graph holds. */
  private linkEnds(r: FtmRecord): [FtmRecord, FtmRecord] | undefined {
    const spec = LINK_ENDS[r.schema]!;
    const [fromId, toId] = [first(r, spec.from), first(r, spec.to)];
    if (!fromId || !toId) {
      this.skips.add(`${r.schema} without ${spec.from} and ${spec.to}`, 'a link needs both ends: skipped');
      return undefined;
    }
    const fromKinds: Kind[] = r.schema === 'Documentation' ? ['Source'] : spec.kinds;
    const from = this.ref(r, spec.from, fromId, fromKinds);
    const to = this.ref(r, spec.to, toId, spec.kinds);
    if (!from || !to) return undefined;
    if (r.schema !== 'Documentation' && !this.known.has(from.ourId)) return undefined;
    return this.known.has(to.ourId) ? [from, to] : undefined;
  }

  private linkClaim(r: FtmRecord) {
    const ends = this.linkEnds(r);
    if (!ends) return;
    if (r.schema === 'Documentation') return this.documentation(r, ends[0], ends[1]);
    const result = linkAssertion(r, this.end(ends[0]), this.end(ends[1]));
    for (const p of result.problems) this.problem(r, p);
    if ('skip' in result) return this.skips.add(`link ${r.schema}`, `${result.skip}: skipped`);
    if (r.schema === 'Family' || r.schema === 'Associate') {
      this.skips.add(
        `relationship ${r.schema}`,
        'the graph has no person-to-person relation: kept as a statement claim about the person, naming the other',
      );
    }
    this.claim(r, result.claim);
  }

  /**
   * A Documentation: the document's publisher, an outlet that carried it, or a claim about its entity,
   * citing the document with the words the Documentation quotes (its description) when the text holds them.
   */
  private documentation(r: FtmRecord, doc: FtmRecord, entity: FtmRecord) {
    const source = this.sourceOf.get(doc.ftmId);
    const role = first(r, 'role');
    const use = documentationRole(role);
    if (use !== 'claim') {
      if (!source || entity.kind !== 'Actor') {
        this.skips.add(`Documentation ${role}`, 'names no actor, or a document without its text: skipped');
      } else if (use === 'publisher') {
        source.publisher ??= entity.ourId;
      } else {
        const hops = (source.publishedVia ??= []);
        hops.push({ actor: entity.ourId });
      }
      return;
    }
    const title = source?.title ?? `${doc.schema} ${doc.ftmId}`;
    const { claim, status } = documentationClaim(r, title, this.name(entity.ourId), entity.ourId);
    this.claim(r, claim, all(r, 'description'), status ? { status } : {});
  }

  /**
   * An Article's `publisher` name, when no Documentation named the publisher: the actor of the file with
   * that name, else an organisation of that name (its name claim cites the article).
   */
  private namedPublisher(r: FtmRecord) {
    const source = this.sourceOf.get(r.ftmId);
    const name = first(r, 'publisher')?.trim();
    if (!source || source.id !== r.ourId || source.publisher || !name) return;
    const lower = name.toLowerCase();
    const known = this.actors.find((a) => this.names.get(a.id)?.some((n) => n.toLowerCase() === lower));
    if (known) {
      source.publisher = known.id;
      return;
    }
    const id = slugId('ac-ftm-publisher-', name);
    source.publisher = id;
    if (this.names.has(id)) return;
    this.names.set(id, [clip(name, 300)]);
    this.push(this.actors, { id, type: 'organization', name: clip(name, 300), lang: 'und' }, r.line);
    this.claim(
      r,
      {
        id: `cl-ftm-${id.slice(3)}--name`,
        subject: id,
        summary: clip(`FtM ${r.schema} ${r.ftmId} names its publisher "${name}".`, 2000),
        attribute: { property: 'name', value: clip(name, 300) },
      },
      [name],
    );
  }
}

export function ftmToBundle(text: string, opts: ConvertOptions): ImportPlan {
  const problems: Problem[] = [];
  const skips = new SkipCounter();
  const evidenceId = `src-${opts.sha256.slice(0, 16)}`;
  const file = readRecords(
    text,
    (line, message) => problems.push({ path: `line ${line}`, message }),
    skips,
    opts.onProgress,
  );
  const c = new FtmConversion(
    evidenceId,
    file,
    (r, message) => problems.push({ path: `line ${r.line}`, message }),
    skips,
  );
  c.convert();
  const name = path.basename(opts.file);
  const doc: BundleDoc = {
    format: 'hrkg-bundle/1',
    recordedBy: opts.recordedBy,
    recordedAt: opts.recordedAt,
    description: `Import of ${name} (FollowTheMoney NDJSON, sha256 ${opts.sha256}).`,
    sources: [fileSourceDoc(evidenceId, text, name, opts), ...c.sources],
    actors: c.actors,
    places: c.places,
    events: c.events,
    claims: c.claims,
  };
  opts.onProgress?.(file.lines, file.lines);
  return {
    doc,
    lines: LineMap.of(doc, c.lineOf),
    problems,
    records: file.records.length + file.unmapped.size,
    skipped: skips.list(),
  };
}
