import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBundle } from '../../src/io/bundle/resolve.js';
import { noFiles } from '../../src/io/import/common.js';
import { ftmToBundle } from '../../src/io/import/ftm.js';
import { sha256 } from '../../src/model/text.js';
import { projectRoot } from '../../src/paths.js';
import { runPython } from '../helpers/python.js';

/**
 * The FtM file the followthemoney library writes (test/interop/make_ftm_fixture.py, committed as
 * test/fixtures/interop/ftm-library.ndjson), converted without a database: nothing refused, what is kept,
 * what is skipped (counted), and which claims cite the article rather than the file's line.
 */

const FILE = path.join(projectRoot, 'test/fixtures/interop/ftm-library.ndjson');
const text = readFileSync(FILE, 'utf8');
const plan = ftmToBundle(text, {
  file: FILE,
  sha256: sha256(text),
  recordedBy: 'unit test',
  recordedAt: '2026-01-01T00:00:00Z',
});
const { doc } = plan;
const fileSource = `src-${sha256(text).slice(0, 16)}`;
const article = 'src-ftm-3d3226a567ef33974e80ac49d47c8b439188786e';
const samir = 'ac-ftm-6e9674995641987c5dc18163f97243b9c2d70c7e';
const bySlot = (end: string) => doc.claims!.find((c) => c.slot!.endsWith(end))!;

describe('an FtM file written by the followthemoney library', () => {
  it('is what make_ftm_fixture.py writes with followthemoney 3.8 (same bytes)', async () => {
    const run = await runPython('ftm3', 'make_ftm_fixture.py');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(text);
  });

  it('converts with nothing refused, reporting what it leaves out, counted', async () => {
    expect(plan.problems).toEqual([]);
    expect(plan.records).toBe(15);
    expect(plan.skipped!.map((s) => [s.what, s.count])).toEqual([
      ['property Person.nationality', 1],
      ['schema Vessel', 1],
      ['schema Sanction', 1],
      ['relationship Family', 1],
      ['relationship Associate', 1],
    ]);
    const resolved = await resolveBundle(doc, noFiles);
    expect(resolved.claims).toHaveLength(doc.claims!.length);
  });

  it('keeps birth date, gender, position, topics, the membership post and period, and coordinates', () => {
    const person = doc.actors!.find((a) => a.id === samir)!;
    expect(person.identifiers).toEqual([
      { scheme: 'ftm', value: '6e9674995641987c5dc18163f97243b9c2d70c7e' },
    ]);
    expect(bySlot(`${samir.slice(3)}--birth-date-1`).attribute).toEqual({
      property: 'birthDate',
      value: { precision: 'month', value: '1961-03', qualifier: 'exact', text: null },
    });
    expect(bySlot(`${samir.slice(3)}--gender-1`).attribute).toEqual({ property: 'gender', value: 'male' });
    expect(bySlot(`${samir.slice(3)}--topics`).attribute).toEqual({
      property: 'topics',
      value: 'role.pep; sanction',
    });
    expect(bySlot('1a2da6e9e03ab6ce71729b5a622de9d1a1c39142').relation).toEqual({
      type: 'MEMBER_OF',
      object: 'ac-ftm-680720e39bf1f174c7eaa6dc3ef3059861e023b7',
      role: null,
      position: 'Head of the investigations branch',
      periodStart: { precision: 'month', value: '2011-06', qualifier: 'exact', text: null },
      periodEnd: { precision: 'year', value: '2018', qualifier: 'exact', text: null },
    });
    // Family: a statement about the person, naming the relative in FtM's direction.
    expect(bySlot('c839d9bfc784e39707232fa14855e68c45870636')).toMatchObject({
      subject: samir,
      summary: expect.stringMatching(/^Rami Haddad is the son of Samir Haddad \(FtM Family /),
    });
    expect(bySlot('bbd0f920142692addb8573f9f01824c26b83fcd9--latitude').attribute).toEqual({
      property: 'latitude',
      value: 33.4775,
    });
  });

  it('makes the event’s proof and the Documentation’s document the source their words come from', () => {
    const source = doc.sources!.find((s) => s.id === article)!;
    expect(source.publisher).toBe('ac-ftm-4a6ef317395b0679b676cda179035113f8651724');
    const event = '06b32ab667b318d125fb0cdde964295297536902';
    const onArticle = doc
      .claims!.filter((c) => c.source === article)
      .map((c) => c.slot!.replace(/^cl-ftm-/, ''));
    expect(onArticle).toEqual([
      `${event}--name`,
      `${event}--date`,
      `${event}--address-1`,
      `${event}--organizer-1`,
      `${event}--involved-1`,
      '3885dbd2535ab9d1c130ff8c16fe475f05f083c4',
    ]);
    // Each quotes the article's words, then its own line of the file.
    const date = bySlot(`${event}--date`);
    expect(date.quotes).toEqual([
      { exact: '3 May 2022', start: 37, end: 47 },
      expect.objectContaining({ source: fileSource, exact: text.split('\n')[10] }),
    ]);
    // A Documentation whose words the article does not hold, and the country the article does not name,
    // stay on the file.
    expect(bySlot('42ec678c9318c8c45af2ec96e21fdd4dfad84574').source).toBe(fileSource);
    expect(bySlot(`${event}--country-1`).source).toBe(fileSource);
  });
});
