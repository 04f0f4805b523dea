// Webhook signing secrets, held apart from the records they belong to: records travel through
// the plan, the outcomes and every report, secrets only from here to the delivery step.

/** The secrets of the records the client has read, by record id. */
export class WebhookSecrets {
  private readonly byId = new Map<string, string>();

  constructor(private readonly mask: (secret: string) => void) {}

  /** Masks a secret the moment it arrives; keeps it when its record has an id. */
  keep(id: string | undefined, secret: string): void {
    this.mask(secret);
    if (id !== undefined) this.byId.set(id, secret);
  }

  /** The record's secret; undefined when the API gave none. */
  of(id: string): string | undefined {
    return this.byId.get(id);
  }
}
