/**
 * A webhook record as the MijnKlantportaal API returns it (list, get and create), without its
 * secret: the client keeps that in its `WebhookSecrets`.
 */
export interface RemoteWebhook {
  id: string;
  /** The event type; may be one this tool does not know if the API adds types. */
  type: string;
  url: string;
  createdAt?: string;
}
