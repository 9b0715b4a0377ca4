import type { CatalogAnswer } from '../services/campaigns/app-catalog';

/** The entityId of the personal "Dashboard" tab in manifest/manifest.template.json. */
export const DASHBOARD_TAB_ENTITY_ID = 'dashboard';

export interface DashboardLinkSettings {
  mode: 'demo' | 'production';
  /** TEAMS_APP_ID: the manifest id, which names an app uploaded to Teams as a custom app. */
  manifestId?: string;
  /** The port the demo was configured with; the address it really listens on wins once known. */
  port: number;
}

/**
 * Where the dashboard tab opens, for a button on the admins' and IT's cards. In Teams it is a deep
 * link to the app's personal tab: by the app's id in the practice's catalog (an app published to
 * the organization gets its own id there), else by its manifest id. The local demo has no Teams:
 * its link is the tab's page on this machine.
 */
export class DashboardLink {
  private localUrl: string | undefined;

  constructor(
    private readonly settings: DashboardLinkSettings,
    private readonly catalog: { resolve(): Promise<CatalogAnswer> },
  ) {}

  /** The bot's own address once it listens (the demo's port may be chosen by the system). */
  listening(baseUrl: string): void {
    this.localUrl = `${baseUrl.replace(/\/$/, '')}/tab/`;
  }

  /** The link, or undefined when the app's id is not known (TEAMS_APP_ID unset). */
  async url(): Promise<string | undefined> {
    if (this.settings.mode === 'demo')
      return this.localUrl ?? `http://127.0.0.1:${this.settings.port}/tab/`;
    const answer = await this.catalog.resolve().catch(() => undefined);
    const appId = answer?.ok ? answer.catalogId : this.settings.manifestId;
    if (!appId) return undefined;
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/${DASHBOARD_TAB_ENTITY_ID}`;
  }
}
