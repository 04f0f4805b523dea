import type { ErrorObject } from 'ajv';

/** The standalone ajv validator compiled from src/config/schema.ts (allErrors). */
declare const validate: {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
};
export default validate;
