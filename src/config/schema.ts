import { EVENT_TYPES } from '../events.js';
import { SECRET_PLACEHOLDERS } from './secret-names.js';

/** Entry names: lowercase letters, digits and '-', starting with a letter or digit. */
export const NAME_PATTERN = '^[a-z0-9][a-z0-9-]*$';
export const NAME_MAX_LENGTH = 40;
/**
 * A secret-name template: upper-case letters, digits, '_' and the placeholders of
 * secret-names.ts (`{NAME}`, `{EVENT}`); secretTemplateProblem says the same in words.
 */
export const SECRET_TEMPLATE_PATTERN = `^([A-Z0-9_]|${SECRET_PLACEHOLDERS.map((p) => `\\{${p}\\}`).join('|')})+$`;
export const SECRET_TEMPLATE_MAX_LENGTH = 100;
export const URL_MAX_LENGTH = 2048;

/**
 * The JSON Schema of webhooks.yaml (version 1). `npm run generate` writes it to
 * webhooks.schema.json for editors and compiles it into the standalone ajv validator;
 * `npm run generate -- --check` (run by .ci/run) fails when either is out of date.
 */
export function webhooksSchema() {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/mkp-webhooks-sync/mkp-webhooks-sync/blob/main/webhooks.schema.json',
    title: 'mkp-webhooks-sync webhooks.yaml',
    description:
      'MijnKlantportaal webhook subscriptions as code. Each (url, event) pair is one webhook record with its own signing secret.',
    type: 'object',
    additionalProperties: false,
    required: ['webhooks'],
    properties: FILE_KEYS,
    definitions: {
      urlPattern: URL_PATTERN,
      ignoreEntry: IGNORE_ENTRY,
      event: EVENT,
      webhook: WEBHOOK_ENTRY,
    },
  } as const;
}

/** The keys at the top of the file. */
const FILE_KEYS = {
  version: {
    description: 'Version of this file format; 1 is the only version.',
    const: 1,
  },
  owns: {
    description:
      "Optional: only account records whose URL matches one of these patterns are this file's business. `*` matches any run of characters; nothing else is special.",
    type: 'array',
    minItems: 1,
    items: { $ref: '#/definitions/urlPattern' },
  },
  ignore: {
    description:
      "Optional: account records that are never this file's business (another repository's, an integration's such as Zapier's).",
    type: 'array',
    items: { $ref: '#/definitions/ignoreEntry' },
  },
  webhooks: {
    description: 'The webhook subscriptions the account should have.',
    type: 'array',
    items: { $ref: '#/definitions/webhook' },
  },
} as const;

const URL_PATTERN = {
  description:
    'An absolute http(s) URL pattern, matched against the normalised URL of each record; `*` matches any run of characters (across `/` too).',
  type: 'string',
  minLength: 1,
  maxLength: URL_MAX_LENGTH,
} as const;

const EVENT_LIST = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { $ref: '#/definitions/event' },
} as const;

const IGNORE_ENTRY = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { $ref: '#/definitions/urlPattern' },
    events: {
      description: 'Optional: only these event types are ignored; without it, every event.',
      ...EVENT_LIST,
    },
  },
} as const;

const EVENT = {
  description: 'A MijnKlantportaal event type.',
  type: 'string',
  enum: [...EVENT_TYPES],
} as const;

const WEBHOOK_ENTRY = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    name: {
      description:
        "Optional name: lowercase letters, digits and '-'; unique in the file. Used as {NAME} in secret names.",
      type: 'string',
      pattern: NAME_PATTERN,
      maxLength: NAME_MAX_LENGTH,
    },
    url: {
      description:
        'Absolute https:// URL without a fragment that MijnKlantportaal calls. ${VAR} is read from the environment.',
      type: 'string',
      minLength: 1,
      maxLength: URL_MAX_LENGTH,
    },
    event: {
      description: 'One event type (use either event or events).',
      $ref: '#/definitions/event',
    },
    events: {
      description: 'A list of event types (use either event or events).',
      ...EVENT_LIST,
    },
    secret: {
      description:
        'Secret-name template with {NAME} and {EVENT} in UPPER_SNAKE. Default: MKP_WEBHOOK_{NAME}_{EVENT}, or MKP_WEBHOOK_{EVENT} without a name.',
      type: 'string',
      pattern: SECRET_TEMPLATE_PATTERN,
      maxLength: SECRET_TEMPLATE_MAX_LENGTH,
    },
  },
  oneOf: [{ required: ['event'] }, { required: ['events'] }],
} as const;
