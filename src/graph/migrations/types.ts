/** One ordered, idempotent step of the graph schema. Statements must be safe to run again (IF NOT EXISTS). */
export interface Migration {
  /** Ordered identifier, e.g. "0001-migration-ledger". Never renamed once released. */
  id: string;
  description: string;
  /** Schema statements run one by one (Neo4j does not allow schema and data writes in one transaction). */
  statements: string[];
}
