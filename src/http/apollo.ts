import { readdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Config } from '../config.js';
import type { RequestContext } from '../context.js';
import { DOCUMENT_LIMITS } from '../limits.js';
import type { Logger } from '../logger.js';
import { schemaDir } from '../paths.js';
import { resolvers } from '../resolvers/index.js';
import { limitExceeded, makeFormatError } from './errors.js';
import { costPlugin, responseSizePlugin } from './guards.js';

/** The GraphQL server: schema, resolvers, validation rules and the plugins every operation passes. */

/** The SDL files in schema/, concatenated in name order (one file per capability). */
export function loadTypeDefs(dir = schemaDir): string {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

/** Document limits (depth, aliases, directives) refused at validation with LIMIT_EXCEEDED. */
function armor(production: boolean) {
  const reject = { onReject: [limitExceeded], propagateOnRejection: false };
  return new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth, ...reject },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, ...reject },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives, ...reject },
    // Tokens are counted by our own middleware (tokenLimit) so the refusal is a clean 400.
    maxTokens: { enabled: false },
    // Cost is ours (src/cost.ts): it multiplies by list sizes and needs the request's variables.
    costLimit: { enabled: false },
    // Field suggestions help developers and help attackers map a schema; off in production.
    blockFieldSuggestion: { enabled: production },
  }).protect();
}

/**
 * Refuses operations of a type the schema does not have (subscription): graphql-js 16 only notices at
 * execution, where the error has no code and was masked as INTERNAL_SERVER_ERROR. graphql-js 17 has this
 * rule built in (KnownOperationTypesRule).
 */
export function knownOperationTypes(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (!context.getSchema().getRootType(node.operation)) {
        context.reportError(
          new GraphQLError(`The schema does not support ${node.operation} operations`, { nodes: node }),
        );
      }
    },
  };
}

/** Adds the request's database round trips to `extensions` outside production, for investigators and tests. */
function roundTripsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              roundTrips: contextValue.roundTrips(),
            };
          }
        },
      };
    },
  };
}

/** A started Apollo server with every limit, the landing page the configuration asks for, and error masking. */
export async function startApollo(
  config: Config,
  logger: Logger,
  httpServer: http.Server,
): Promise<ApolloServer<RequestContext>> {
  const production = config.env === 'production';
  const protection = armor(production);
  const plugins: ApolloServerPlugin<RequestContext>[] = [
    ApolloServerPluginDrainHttpServer({ httpServer }),
    ...(protection.plugins as ApolloServerPlugin<RequestContext>[]),
    config.introspection
      ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
      : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
    costPlugin(DOCUMENT_LIMITS.maxCost),
    responseSizePlugin(config.maxResponseBytes),
    ...(production ? [] : [roundTripsPlugin()]),
  ];
  const apollo = new ApolloServer<RequestContext>({
    typeDefs: loadTypeDefs(),
    resolvers,
    validationRules: [...protection.validationRules, knownOperationTypes],
    allowBatchedHttpRequests: false,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: makeFormatError(logger, !production),
    plugins,
    logger,
  });
  await apollo.start();
  return apollo;
}
