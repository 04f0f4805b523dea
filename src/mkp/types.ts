/** A webhook record as the MijnKlantportaal API returns it (list, get and create). */
export interface RemoteWebhook {
  id: string;
  /** The event type; may be one this tool does not know if the API adds types. */
  type: string;
  url: string;
  secret: string;
  createdAt?: string;
}
