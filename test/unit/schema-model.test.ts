import { buildSchema, GraphQLEnumType, GraphQLInterfaceType, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as enums from '../../src/model/enums.js';
import { RELATION_TYPES } from '../../src/model/graph-model.js';
import { loadTypeDefs } from '../../src/server.js';

const schema = buildSchema(loadTypeDefs());
const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.value);

describe('the GraphQL schema and the model agree', () => {
  it.each([
    ['EventType', enums.EVENT_TYPES],
    ['ActorType', enums.ACTOR_TYPES],
    ['PlaceType', enums.PLACE_TYPES],
    ['Role', enums.ROLES],
    ['Sensitivity', enums.SENSITIVITIES],
    ['ClaimStatus', enums.CLAIM_STATUSES],
    ['Reliability', enums.RELIABILITIES],
    ['DatePrecision', enums.DATE_PRECISIONS],
    ['DateQualifier', enums.DATE_QUALIFIERS],
    ['FigureQualifier', enums.FIGURE_QUALIFIERS],
    ['FigureUnit', enums.FIGURE_UNITS],
    ['RelationType', RELATION_TYPES],
    ['FacilityKind', enums.FACILITY_KINDS],
    ['FigureSex', enums.FIGURE_SEXES],
    ['FigureAgeGroup', enums.FIGURE_AGE_GROUPS],
  ])('%s has exactly the model values', (name, list) => {
    expect(values(name)).toEqual([...list]);
  });

  it('describes every type, field and argument', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
        continue;
      if (!type.description) missing.push(type.name);
      if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) {
        for (const f of Object.values(type.getFields())) {
          if (!f.description) missing.push(`${type.name}.${f.name}`);
          for (const a of f.args) if (!a.description) missing.push(`${type.name}.${f.name}(${a.name})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
