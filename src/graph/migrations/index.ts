import { migration as m0001 } from './0001-migration-ledger.js';
import { migration as m0002 } from './0002-knowledge-model.js';
import { migration as m0003 } from './0003-arabic-text-index.js';
import { migration as m0004 } from './0004-keys-audit.js';
import { migration as m0005 } from './0005-merges.js';
import { migration as m0006 } from './0006-claim-conflict-lookup.js';
import { migration as m0007 } from './0007-event-date-order.js';
import { migration as m0008 } from './0008-claim-slots.js';
import { migration as m0009 } from './0009-figure-as-of-overlap.js';
import { migration as m0010 } from './0010-figure-search.js';
import { migration as m0011 } from './0011-versions.js';
import { migration as m0012 } from './0012-identifier-lookup.js';
import { migration as m0013 } from './0013-event-places.js';
import { migration as m0014 } from './0014-event-places-order.js';
import { migration as m0015 } from './0015-event-actors.js';
import type { Migration } from './types.js';

export type { Migration };

/** All migrations, in the order they apply. Append only. */
export const migrations: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
];
