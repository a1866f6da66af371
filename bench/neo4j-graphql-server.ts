/**
 * @neo4j/graphql over the same database, served like our API (Express 5 + Apollo Server 5 +
 * express.json + expressMiddleware, in its own process). GET /__bench/recorded counts its statements.
 *
 *   tsx bench/neo4j-graphql-server.ts <bolt-uri>      prints "READY <url>" when listening
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { Neo4jGraphQL } from '@neo4j/graphql';
import express from 'express';
import { createDriver } from '../src/graph/driver.js';
import { projectRoot } from '../src/paths.js';
import { recordingDriver } from './recording-driver.js';

const uri = process.argv[2];
if (!uri) throw new Error('usage: neo4j-graphql-server.ts <bolt-uri>');
// The same driver settings as our API (src/graph/driver.ts).
const rec = recordingDriver(createDriver({ uri, user: 'neo4j', password: undefined }));
const typeDefs = readFileSync(path.join(projectRoot, 'bench', 'neo4j-graphql.typeDefs.graphql'), 'utf8');
const schema = await new Neo4jGraphQL({ typeDefs, driver: rec.driver }).getSchema();
const app = express();
const httpServer = http.createServer(app);
const apollo = new ApolloServer({ schema, allowBatchedHttpRequests: false });
await apollo.start();
app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
app.get('/__bench/recorded', (_req, res) => {
  res.json({ count: rec.count(), statements: rec.recorded.splice(0) });
});
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
console.log(`READY http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
process.on('SIGTERM', () => {
  void apollo.stop().then(() => rec.driver.close().then(() => process.exit(0)));
});
