/**
 * A bare Apollo Server hello-world (Express 5 + expressMiddleware, no database), the HTTP ceiling that
 * the by-id query of our API is compared with under autocannon.
 *
 *   tsx bench/hello-server.ts      prints "READY <url>" when listening
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

const app = express();
const httpServer = http.createServer(app);
const apollo = new ApolloServer({
  typeDefs: 'type Query { hello: String }',
  resolvers: { Query: { hello: () => 'world' } },
});
await apollo.start();
app.use('/graphql', express.json(), expressMiddleware(apollo));
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
console.log(`READY http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`);
process.on('SIGTERM', () => {
  void apollo.stop().then(() => process.exit(0));
});
