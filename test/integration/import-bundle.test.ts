import { afterAll, describe, expect, it } from 'vitest';
import { statement } from '../../src/graph/executor.js';
import { BundleError } from '../../src/io/bundle/resolve.js';
import { loadBundle, SAMPLE_BUNDLE } from '../../src/services/import.js';
import { loadBundleFile } from '../../src/io/bundle/resolve.js';
import { fixtureBundle, presentIds, uniq, writeBundle } from '../helpers/bundles.js';
import { testDatabase } from '../helpers/app.js';

const TEXT =
  'On 30 April 2022 the decree was issued. Nearly 1,168 detainees were released. Nearly 1,168 again.';

async function problemsOf(
  file: string,
  executor = db.executor,
): Promise<{ path: string; message: string }[]> {
  try {
    await loadBundle(executor, file, { force: true });
  } catch (err) {
    if (err instanceof BundleError) return err.problems;
    throw err;
  }
  throw new Error('expected the bundle to be refused');
}

const db = testDatabase();

describe('bundle loader', () => {
  afterAll(() => db.close());

  it('loads a valid bundle, computing code-point offsets from exact quotes', async () => {
    const u = uniq();
    const file = writeBundle(
      fixtureBundle(u, `${TEXT} ${u}`, [
        {
          id: `cl-t${u}-count`,
          subject: `ev-t${u}`,
          summary: 'Nearly 1,168 released.',
          figure: { measure: 'people_released', value: 1168, qualifier: 'approximately', unit: 'people' },
          source: `src-t${u}`,
          quotes: ['Nearly 1,168 detainees were released'],
        },
      ]),
    );
    const report = await loadBundle(db.executor, file);
    expect(report.counts).toMatchObject({ sources: 1, entities: 3, claims: 1, excerpts: 1, figures: 1 });
    expect(await presentIds(db.executor, [`cl-t${u}-count`, `ev-t${u}`, `fg-t${u}-count`])).toHaveLength(3);
    // The load is audited in the same transaction.
    const audit = await db.executor.read(
      statement(
        'test.bundleAudit',
        'MATCH (a:AuditRecord {operation: "loadBundle"}) WHERE $id IN a.affectedIds RETURN a.inputDigest AS digest',
      ),
      { id: `src-t${u}` },
    );
    expect(audit).toEqual([{ digest: report.sha256 }]);
  });

  it('reports every problem with its path and writes nothing', async () => {
    const u = uniq();
    const doc = fixtureBundle(u, `${TEXT} ${u}`, [
      {
        id: `cl-t${u}-a`,
        subject: `ev-t${u}`,
        summary: 's',
        source: `src-t${u}`,
        quotes: ['not in the text at all'],
      },
      { id: `cl-t${u}-b`, subject: `ev-t${u}`, summary: 's', source: `src-t${u}`, quotes: ['Nearly 1,168'] },
      {
        id: `cl-t${u}-c`,
        subject: `ev-nobody${u}`,
        summary: 's',
        source: `src-t${u}`,
        quotes: ['the decree was issued'],
      },
      {
        id: `cl-t${u}-d`,
        subject: `pl-t${u}`,
        summary: 'a place cannot be involved in an event',
        relation: { type: 'INVOLVED_IN', object: `ev-t${u}`, role: 'victim' },
        source: `src-t${u}`,
        quotes: [{ exact: 'the decree', start: 0, end: 10 }],
      },
    ]);
    (doc.events[0] as Record<string, unknown>).date = { precision: 'day', value: '2022-02-30' };
    const problems = await problemsOf(writeBundle(doc));
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'events[0].date',
        'claims[0].quotes[0]',
        'claims[1].quotes[0]',
        'claims[2].subject',
        'claims[3].relation.type',
        'claims[3].quotes[0]',
      ]),
    );
    expect(problems.find((p) => p.path === 'claims[1].quotes[0]')!.message).toMatch(
      /found 2 times \(at code points 40, 78\)/,
    );
    expect(problems.find((p) => p.path === 'events[0].date')!.message).toMatch(/not a real calendar day/);
    expect(
      await presentIds(db.executor, [`src-t${u}`, `ac-t${u}`, `pl-t${u}`, `ev-t${u}`, `cl-t${u}-a`]),
    ).toEqual([]);
  });

  it('rejects schema errors before anything else, with paths', async () => {
    const u = uniq();
    const doc = fixtureBundle(u, `${TEXT} ${u}`) as Record<string, unknown>;
    (doc.actors as Record<string, unknown>[])[0]!.type = 'alien';
    (doc.sources as Record<string, unknown>[])[0]!.sha256 = 'nothex';
    const problems = await problemsOf(writeBundle(doc));
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['actors[0].type', 'sources[0].sha256']),
    );
  });

  it('refuses a source whose text does not match its declared hash', async () => {
    const u = uniq();
    const doc = fixtureBundle(u, `${TEXT} ${u}`);
    doc.sources[0]!.sha256 = '0'.repeat(64);
    const problems = await problemsOf(writeBundle(doc));
    expect(problems).toContainEqual({
      path: 'sources[0].sha256',
      message: expect.stringMatching(/sha256 is [0-9a-f]{64}/),
    });
  });

  it('refuses offsets that do not hold the quoted words, and says where the words are', async () => {
    const u = uniq();
    const problems = await problemsOf(
      writeBundle(
        fixtureBundle(u, `${TEXT} ${u}`, [
          {
            id: `cl-t${u}`,
            subject: `ev-t${u}`,
            summary: 's',
            source: `src-t${u}`,
            quotes: [{ exact: 'the decree was issued', start: 3, end: 24 }],
          },
        ]),
      ),
    );
    expect(problems).toEqual([
      {
        path: 'claims[0].quotes[0]',
        message: expect.stringMatching(/not the quoted words; they occur at code point\(s\) 17/),
      },
    ]);
  });

  it('refuses a quote taken from another source', async () => {
    const u = uniq();
    const doc = fixtureBundle(u, `${TEXT} ${u}`, [
      // Words of the sample article, cited against this bundle's own source.
      {
        id: `cl-t${u}`,
        subject: `ev-t${u}`,
        summary: 's',
        source: `src-t${u}`,
        quotes: ['969,854 people, including 155,002 women'],
      },
    ]);
    const problems = await problemsOf(writeBundle(doc));
    expect(problems[0]).toMatchObject({
      path: 'claims[0].quotes[0]',
      message: expect.stringMatching(/^not found/),
    });
  });

  it('counts a character outside the BMP as one code point', async () => {
    const u = uniq();
    // Two astral characters (U+1D54F, U+1F642) before the quote: UTF-16 would count 4 units, code points 2.
    const text = `𝕏🙂 Detainees from Daraa were released ${u}.`;
    const quote = `Detainees from Daraa were released ${u}`;
    const ok = writeBundle(
      fixtureBundle(u, text, [
        { id: `cl-t${u}-q`, subject: `ev-t${u}`, summary: 's', source: `src-t${u}`, quotes: [quote] },
        {
          id: `cl-t${u}-o`,
          subject: `ev-t${u}`,
          summary: 's',
          source: `src-t${u}`,
          quotes: [{ exact: 'Detainees', start: 3, end: 12 }],
        },
      ]),
    );
    const resolved = await loadBundleFile(ok);
    expect(resolved.excerpts.map((e) => [e.start, e.end]).sort()).toEqual([
      [3, 12],
      [3, 3 + Array.from(quote).length],
    ]);
    expect(resolved.excerpts[0]!.prefix).toBe('𝕏🙂 ');
    // The same words at UTF-16 offsets (5-14) are refused.
    const utf16 = writeBundle(
      fixtureBundle(uniq(), text, [
        {
          id: `cl-t${u}-x`,
          subject: `ev-t${u}`,
          summary: 's',
          source: `src-t${u}`,
          quotes: [{ exact: 'Detainees', start: 5, end: 14 }],
        },
      ]),
    );
    await expect(loadBundleFile(utf16)).rejects.toThrow(BundleError);
  });

  it('treats the same text as the same source: a second id for known text is refused', async () => {
    const sample = await loadBundleFile(SAMPLE_BUNDLE);
    const u = uniq();
    const problems = await problemsOf(writeBundle(fixtureBundle(u, sample.sources[0]!.text)));
    expect(problems).toEqual([
      {
        path: 'sources[0]',
        message: expect.stringContaining('already in the graph as src-sohr-amnesty-2022'),
      },
    ]);
    expect(await presentIds(db.executor, [`ac-t${u}`, `ev-t${u}`])).toEqual([]);
  });

  it('writes nothing when the transaction fails after its writes', async () => {
    const u = uniq();
    const file = writeBundle(
      fixtureBundle(u, `${TEXT} ${u}`, [
        {
          id: `cl-t${u}`,
          subject: `ev-t${u}`,
          summary: 's',
          source: `src-t${u}`,
          quotes: ['the decree was issued'],
        },
      ]),
    );
    await expect(
      loadBundle(db.executor, file, {
        beforeCommit: async () => {
          throw new Error('injected failure before commit');
        },
      }),
    ).rejects.toThrow('injected failure');
    expect(
      await presentIds(db.executor, [`src-t${u}`, `ac-t${u}`, `pl-t${u}`, `ev-t${u}`, `cl-t${u}`]),
    ).toEqual([]);
    // And the bundle is not marked as loaded: the next attempt loads it.
    expect((await loadBundle(db.executor, file)).loaded).toBe(true);
  });
});
