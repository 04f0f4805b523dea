/**
 * JSON Schemas of the machine-readable output (docs/json.md): the Action's `plan` and `created`
 * outputs and what `validate`, `plan` and `apply --json` print. `npm run generate` writes them
 * to docs/json/; test/cli-json.test.ts validates real output against them. The shapes follow
 * src/report/outputs.ts; the events, names and secret names come from their sources of truth.
 */
import { NAME_MAX_LENGTH, NAME_PATTERN } from '../src/config/schema.js';
import { SECRET_NAME_PATTERN } from '../src/config/secret-names.js';
import { EVENT_TYPES } from '../src/events.js';

/** Where each schema is found, from anywhere: this repository at the release's major tag. */
export const JSON_SCHEMA_BASE =
  'https://raw.githubusercontent.com/mkp-webhooks-sync/mkp-webhooks-sync/v1/docs/json/';

type Schema = Record<string, unknown>;

const DRAFT = 'http://json-schema.org/draft-07/schema#';
const PLAN = 'plan.schema.json';

const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  additionalProperties: false,
});
const list = (items: Schema): Schema => ({ type: 'array', items });
const ref = (name: string, file = ''): Schema => ({ $ref: `${file}#/definitions/${name}` });

const subscription = {
  name: {
    description: "The entry's name; null for an entry without one.",
    oneOf: [
      { type: 'string', pattern: NAME_PATTERN, maxLength: NAME_MAX_LENGTH },
      { type: 'null' },
    ],
  },
  event: { description: 'The event type.', enum: [...EVENT_TYPES] },
  url: {
    description:
      'The URL, whole: a ${VAR} URL holds its value. In a run without a token, an entry whose ${VAR} is not set holds the ${VAR} text as written.',
    type: 'string',
  },
  secretName: {
    description: 'The name its signing secret is delivered under.',
    type: 'string',
    pattern: SECRET_NAME_PATTERN.source,
  },
};

/** What plan.schema.json defines, for itself and the others. */
const definitions: Record<string, Schema> = {
  subscription: {
    description: 'A declared subscription: one (url, event) pair of webhooks.yaml.',
    ...object(subscription),
  },
  record: {
    description:
      'A webhook record on the account, as the API lists it (its event may be one this version does not know).',
    ...object({
      id: { type: 'string' },
      event: { type: 'string' },
      url: { description: 'The URL, whole.', type: 'string' },
    }),
  },
  created: {
    description: 'A subscription created in this run, with the id of its new record.',
    ...object({ ...subscription, id: { type: 'string' } }),
  },
  pullRequest: {
    description: 'What a pull request changes in the file (the Action on pull requests only).',
    ...object({
      adds: list(ref('subscription')),
      removes: list(ref('subscription')),
      renames: list(
        object({
          ...subscription,
          previousSecretName: {
            ...subscription.secretName,
            description: 'The secret name on the base branch.',
          },
        }),
      ),
    }),
  },
  checked: {
    description: 'The plan of a run that read the account.',
    ...object(
      {
        create: { description: 'Declared, not on the account.', ...list(ref('subscription')) },
        unchanged: { description: 'Declared and on the account.', ...list(ref('subscription')) },
        unmanaged: {
          description: 'On the account and in scope, not declared.',
          ...list(ref('record')),
        },
        duplicates: {
          description: 'Every record of each group of records with the same event and URL.',
          ...list(ref('record')),
        },
        ignored: {
          description: "Records outside the file's scope (owns, ignore): ids only.",
          ...list(object({ id: { type: 'string' } })),
        },
        pullRequest: ref('pullRequest'),
      },
      ['pullRequest'],
    ),
  },
  unchecked: {
    description: 'The plan of a run without a token: the account was not read.',
    ...object({ unchecked: list(ref('subscription')), pullRequest: ref('pullRequest') }, [
      'pullRequest',
    ]),
  },
  problem: {
    description: 'A rule the config file breaks, at its place.',
    ...object({
      file: { type: 'string' },
      line: { type: 'integer', minimum: 1 },
      column: { type: 'integer', minimum: 1 },
      message: { type: 'string' },
    }),
  },
};

const schema = (name: string, title: string, body: Schema): Schema => ({
  $schema: DRAFT,
  $id: `${JSON_SCHEMA_BASE}${name}`,
  title,
  ...body,
});

const failure = (extra: Record<string, Schema>): Schema =>
  object({
    error: { description: 'What went wrong, in one sentence.', type: 'string' },
    problems: {
      description: "The config file's problems when it is invalid; else empty.",
      ...list(ref('problem', PLAN)),
    },
    ...extra,
  });

/** File name in docs/json/ -> schema. */
export function jsonSchemas(): Record<string, Schema> {
  return {
    [PLAN]: schema(PLAN, 'mkp-webhooks-sync plan', {
      description:
        "The plan: the Action's `plan` output, and what `mkp-webhooks-sync plan --json` prints when it succeeds.",
      oneOf: [ref('checked'), ref('unchecked')],
      definitions,
    }),
    'created.schema.json': schema('created.schema.json', 'mkp-webhooks-sync created', {
      description: "The Action's `created` output: the subscriptions created in this run.",
      ...list(ref('created', PLAN)),
    }),
    'cli-validate.schema.json': schema(
      'cli-validate.schema.json',
      'mkp-webhooks-sync validate --json',
      {
        description:
          'What `mkp-webhooks-sync validate --json` prints: exit status 0 with valid true, 1 with valid false.',
        oneOf: [
          object({ valid: { const: true }, unchecked: list(ref('subscription', PLAN)) }),
          failure({ valid: { const: false } }),
        ],
      },
    ),
    'cli-plan.schema.json': schema('cli-plan.schema.json', 'mkp-webhooks-sync plan --json', {
      description:
        'What `mkp-webhooks-sync plan --json` prints: the plan (exit status 0), or a failure (exit status 1).',
      oneOf: [{ $ref: PLAN }, failure({ plan: { type: 'null' } })],
    }),
    'cli-apply.schema.json': schema('cli-apply.schema.json', 'mkp-webhooks-sync apply --json', {
      description:
        'What `mkp-webhooks-sync apply --json` prints: the plan it carried out and what it created (exit status 0), or a failure (exit status 1) with the plan it was carrying out (null when it had none) and what it created before it stopped.',
      oneOf: [
        object({ plan: ref('checked', PLAN), created: list(ref('created', PLAN)) }),
        failure({
          plan: { oneOf: [ref('checked', PLAN), { type: 'null' }] },
          created: list(ref('created', PLAN)),
        }),
      ],
    }),
  };
}
