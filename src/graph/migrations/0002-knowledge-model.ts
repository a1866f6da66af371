import type { Migration } from './types.js';

const unique = (label: string, prop = 'id') =>
  `CREATE CONSTRAINT ${label.toLowerCase()}_${prop.toLowerCase()}_unique IF NOT EXISTS FOR (n:${label}) REQUIRE n.${prop} IS UNIQUE`;

export const migration: Migration = {
  id: '0002-knowledge-model',
  description:
    'Unique ids and source hashes; full-text indexes for English and Arabic; date and type indexes',
  statements: [
    unique('Source'),
    // The same text twice is one source.
    unique('Source', 'sha256'),
    unique('Excerpt'),
    unique('Claim'),
    unique('Event'),
    unique('Actor'),
    unique('Place'),
    unique('Figure'),
    unique('Entity'),
    unique('BundleLoad', 'sha256'),
    // Names and aliases in every language. The arabic analyzer normalises Arabic letter variants and
    // also lower-cases and tokenises Latin script, so "Rural Damascus" and "ريف دمشق" both match.
    `CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Event|Actor|Place) ON EACH [n.names]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'arabic', \`fulltext.eventually_consistent\`: false}}`,
    // Excerpt text and source titles with English stemming ("released" ~ "releases"). The text_ar
    // statement below was a no-op (same labels and properties as text_en); 0003 creates it.
    `CREATE FULLTEXT INDEX text_en IF NOT EXISTS FOR (n:Excerpt|Source) ON EACH [n.exact, n.title]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'english'}}`,
    `CREATE FULLTEXT INDEX text_ar IF NOT EXISTS FOR (n:Excerpt|Source) ON EACH [n.exact, n.title]
     OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'arabic'}}`,
    'CREATE INDEX event_type IF NOT EXISTS FOR (n:Event) ON (n.type)',
    'CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.dateEarliest, n.dateLatest)',
    'CREATE INDEX actor_type IF NOT EXISTS FOR (n:Actor) ON (n.type)',
    'CREATE INDEX place_type IF NOT EXISTS FOR (n:Place) ON (n.type)',
    'CREATE INDEX entity_identifiers IF NOT EXISTS FOR (n:Entity) ON (n.identifierKeys)',
    'CREATE INDEX claim_conflict IF NOT EXISTS FOR (n:Claim) ON (n.conflictKey)',
    'CREATE INDEX claim_status IF NOT EXISTS FOR (n:Claim) ON (n.status)',
    'CREATE INDEX figure_measure IF NOT EXISTS FOR (n:Figure) ON (n.measure)',
  ],
};
