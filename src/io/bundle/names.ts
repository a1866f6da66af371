import { SENSITIVITIES } from '../../model/enums.js';
import { nameEvidenceId } from '../../model/ids.js';
import type { NameEvidenceRow } from '../../model/rows.js';
import type { BundleInput } from './schema.js';

/** Aliases and identifiers listed with the claims giving them: each claim in the bundle, about the entity. */
export function nameEvidenceRows(
  b: BundleInput,
  problem: (path: string, message: string) => void,
): NameEvidenceRow[] {
  const out: NameEvidenceRow[] = [];
  const claimsById = new Map(b.claims.map((c) => [c.id, c] as const));
  const lists = [
    ['actors', b.actors],
    ['places', b.places],
    ['events', b.events],
  ] as const;
  for (const [listName, list] of lists) {
    for (const [i, e] of list.entries()) {
      const names = [
        ...e.aliases.map((a, j) => ({
          kind: 'alias' as const,
          q: a.lang,
          lang: a.lang,
          scheme: null,
          n: a,
          p: `aliases[${j}]`,
        })),
        ...e.identifiers.map((x, j) => ({
          kind: 'identifier' as const,
          q: x.scheme,
          lang: null,
          scheme: x.scheme,
          n: x,
          p: `identifiers[${j}]`,
        })),
      ];
      for (const { kind, q, lang, scheme, n, p } of names) {
        (n.claims ?? []).forEach((cid, ci) => {
          const at = `${listName}[${i}].${p}.claims[${ci}]`;
          const c = claimsById.get(cid);
          if (!c) return problem(at, `no claim ${cid} in the bundle`);
          if (c.subject !== e.id) return problem(at, `claim ${cid} is not about ${e.id}`);
          if (c.status === 'retracted') return problem(at, `claim ${cid} is retracted`);
          // As addAlias requires: a name on the entity is seen by all who see it.
          if (SENSITIVITIES.indexOf(c.sensitivity) > SENSITIVITIES.indexOf(e.sensitivity))
            return problem(at, `claim ${cid} is ${c.sensitivity}, the entity ${e.sensitivity}`);
          out.push({
            id: nameEvidenceId(e.id, kind, q, n.value, cid),
            claimId: cid,
            entityId: e.id,
            kind,
            value: n.value,
            lang,
            scheme,
            reason: null,
            addedBy: c.recordedBy ?? b.recordedBy,
            addedAt: c.recordedAt ?? b.recordedAt,
          });
        });
      }
    }
  }
  return out;
}
