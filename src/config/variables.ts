// `${VAR}` in `url`, read from the environment so that a URL with a token in it stays out of
// git. The one form is `${NAME}` with NAME = [A-Za-z_][A-Za-z0-9_]*. There is no escape for a
// literal `${` (a webhook URL has no use for one) and no nesting: substitution is one pass, so
// a value that itself holds `${…}` is taken as it is.

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Substitution {
  /** The text with every set variable substituted. */
  value: string;
  /** The variables the text refers to, each once, in order of appearance. */
  variables: string[];
  /** Those of them that are not set (undefined). An empty value counts as set. */
  unset: string[];
  /** True when the text holds a `${` that does not start a reference, such as `${HOOK-URL}`. */
  malformed: boolean;
}

export function substituteVariables(text: string, env: Environment): Substitution {
  const variables: string[] = [];
  const unset: string[] = [];
  const value = text.replace(REFERENCE, (reference, name: string) => {
    if (!variables.includes(name)) variables.push(name);
    // Own properties only: `${constructor}` must not find Object.prototype.constructor.
    const found = Object.hasOwn(env, name) ? env[name] : undefined;
    if (found === undefined) {
      if (!unset.includes(name)) unset.push(name);
      return reference;
    }
    return found;
  });
  const malformed = text.replace(REFERENCE, '').includes('${');
  return { value, variables, unset, malformed };
}
