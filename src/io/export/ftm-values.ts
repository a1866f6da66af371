import { createHash } from 'node:crypto';
import { language3 } from './index.js';

/**
 * Ids and values as followthemoney and Aleph take them as they are (checked with the library itself in
 * test/interop/ftm_check.py, followthemoney 3.8 and 4.x).
 *
 * Ids. FtM's entity id pattern is letters, digits, `-` and `.`, starting and ending with a letter or digit
 * (types/entity.py), but `.` is its namespace separator: Aleph signs an id as `<id>.<hmac>` and
 * `Namespace.parse` first cuts everything after the last `.` away, so `src-x.publisher` becomes the
 * Article `src-x` (a "Self-relationship" crash in `ftm aggregate`) and `cl-x.src-a`, `cl-x.src-b` become one
 * entity. An id with `_` signs to nothing, and Aleph's bulk writer fails ("No ID for entity"). So:
 * - a graph record's own id (`ac-sohr`, `cl-f10-…`, `src-…`) is kept when it has only letters, digits and
 *   inner `-` and leaves room for the signature; any other is hashed: `makeId(id)`;
 * - an id we derive (the FtM entity for a relationship, a claim's second source, a source's publisher or
 *   outlet, a unit's post) is hashed as followthemoney's `make_id` hashes (sha1 of the key, hex) over a key
 *   of its parts joined by `.`: `make_id("relationship.rel-involved_in-ac-a-ev-b-victim")`. Graph ids never
 *   contain `.` and only the last part of a key is free text, so two different records never share a key;
 *   a hash (hex, no `-`) never equals a kept id (every graph id has a `xx-` prefix).
 * Same graph, same ids: nothing random or order-dependent goes into them.
 */

/** FtM's entity id pattern without `.` (the namespace separator). */
export const FTM_ID = /^[0-9a-zA-Z]([0-9a-zA-Z-]*[0-9a-zA-Z])?$/;

/** Longest id kept as it is: FtM allows 200 characters, and Aleph's signature adds 41. */
export const MAX_KEPT_ID = 150;

/** followthemoney's `make_id(key)` (util.make_entity_id without a key prefix): sha1 of the UTF-8 key, hex. */
export function makeId(key: string): string {
  return createHash('sha1').update(key, 'utf8').digest('hex');
}

/** A graph record's FtM id: the id itself when FtM and Aleph take it as it is, else makeId(id). Idempotent. */
export function ftmId(graphId: string): string {
  return graphId.length <= MAX_KEPT_ID && FTM_ID.test(graphId) ? graphId : makeId(graphId);
}

/** The id of an FtM entity we derive: makeId of `kind.part.part…` (only the last part may be free text). */
export function derivedId(kind: string, ...parts: string[]): string {
  return makeId([kind, ...parts].join('.'));
}

/**
 * The languages followthemoney 3.8 accepts (types/language.py; 4.x accepts these and a few more). Its
 * cleaner drops any other value, `und` (undetermined) among them, as well as `mul` and `zxx`.
 */
export const FTM_LANGUAGES: ReadonlySet<string> = new Set(
  (
    'afr ara aze bel ben bos bul cat ces cnr dan deu ell eng est fas fil fin fra heb hin hrv hun hye ind isl ' +
    'ita jpn kan kat kaz khm kir kor lav lit ltz mkd mlt mon msa mya nep nld nor pol por ron rus slk slv spa ' +
    'sqi srp swa swe tgk tgl tuk tur ukr urd uzb zho'
  ).split(' '),
);

/** A BCP 47 tag as an FtM language (ISO 639-3), or null when FtM has no such language (und, ku, mul…). */
export function ftmLanguage(tag: string): string | null {
  const code = language3(tag);
  return code && FTM_LANGUAGES.has(code) ? code : null;
}

/** Whether FtM keeps a value: its cleaners drop one with nothing visible (spaces, controls, a zero-width space). */
export const hasVisible = (value: string): boolean => value.replace(/[\p{C}\p{Z}]/gu, '') !== '';

/**
 * A name FtM requires (actors, events, posts) as FtM keeps it: a name with nothing visible in it is written
 * as its code points, "(no visible name: U+200B)", so the entity still validates and nothing is hidden.
 */
export function requiredName(name: string): string {
  if (hasVisible(name)) return name;
  const points = [...name].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  return `(no visible name: ${points.join(' ') || 'empty'})`;
}
