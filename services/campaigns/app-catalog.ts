import { MINUTE, type Clock } from '../clock';
import { isDirectoryError, type Directory, type TeamsApp } from '../directory/types';
import type { Logger } from '../logger';

/**
 * Which app to install for people who never opened the bot. Installing names the app's id in
 * the practice's Teams app catalog, which is not the id in its manifest (for an app published to
 * the organization, the manifest id is the catalog entry's externalId). The catalog id is looked
 * up from TEAMS_APP_ID, or TEAMS_APP_CATALOG_ID is checked against the catalog, once: a wrong id
 * is a configuration mistake, said at start and on the campaign, not a failure per person.
 */

export interface CatalogSettings {
  /** TEAMS_APP_ID: the id in the app's manifest. */
  manifestId?: string;
  /** TEAMS_APP_CATALOG_ID: the id in the Teams app catalog, when set by hand. */
  catalogId?: string;
}

export type CatalogAnswer =
  | { ok: true; catalogId: string }
  /** `lasting`: a configuration mistake (kept until a restart or a while); otherwise try again soon. */
  | { ok: false; lasting: boolean; problem: string };

/** How long "not in the catalog yet" is believed before looking again (the app may be published meanwhile). */
const NOT_PUBLISHED_RECHECK_MS = 10 * MINUTE;

export class AppCatalog {
  private answer?: { value: CatalogAnswer; until: number };
  private looking?: Promise<CatalogAnswer>;

  constructor(
    private readonly directory: Pick<Directory, 'teamsApps'>,
    private readonly settings: CatalogSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The catalog id to install, or why there is none. */
  resolve(): Promise<CatalogAnswer> {
    if (this.answer && this.clock.now().getTime() < this.answer.until)
      return Promise.resolve(this.answer.value);
    this.looking ??= this.lookUp().finally(() => {
      this.looking = undefined;
    });
    return this.looking;
  }

  /** Forgets the answer (the catalog refused an install with it): the next install looks again. */
  reset(): void {
    this.answer = undefined;
  }

  /** At start: looks the app up and says in the log what is wrong, if anything. */
  async check(): Promise<void> {
    const answer = await this.resolve();
    if (answer.ok)
      this.logger.info(
        { catalogId: answer.catalogId },
        'the bot can be installed for people before a nudge',
      );
    else if (answer.lasting)
      this.logger.error(
        `Configuration: ${answer.problem}. Nudges can reach only people who have talked to the bot.`,
      );
    else
      this.logger.warn(
        `Could not look up the Teams app yet: ${answer.problem}. Trying again at the next nudge.`,
      );
  }

  private async lookUp(): Promise<CatalogAnswer> {
    const value = await this.find();
    // A hand-set id that is not in the catalog, or an app not published yet, may be fixed by
    // publishing it: look again after a while. Other answers hold until the next start.
    if (value.ok || value.lasting) {
      const keep =
        !value.ok && value.unpublished ? NOT_PUBLISHED_RECHECK_MS : Number.POSITIVE_INFINITY;
      this.answer = { value, until: this.clock.now().getTime() + keep };
    }
    return value;
  }

  private async find(): Promise<CatalogAnswer & { unpublished?: boolean }> {
    const { manifestId, catalogId } = this.settings;
    if (!catalogId && !manifestId) {
      return {
        ok: false,
        lasting: true,
        problem: 'installing the bot for people is not set up (TEAMS_APP_ID is empty)',
      };
    }
    try {
      if (catalogId) return await this.checkCatalogId(catalogId, manifestId);
      return await this.byManifestId(manifestId!);
    } catch (err) {
      if (!isDirectoryError(err)) throw err;
      if (err.kind === 'forbidden') {
        if (catalogId) {
          this.logger.warn(
            'could not check TEAMS_APP_CATALOG_ID against the Teams app catalog (AppCatalog.Read.All is not granted); using it as set',
          );
          return { ok: true, catalogId };
        }
        return {
          ok: false,
          lasting: true,
          problem:
            'the bot may not read the Teams app catalog to find its catalog id: grant AppCatalog.Read.All, or set TEAMS_APP_CATALOG_ID',
        };
      }
      // Graph is busy or away: use a hand-set id unchecked, or look again at the next nudge.
      if (catalogId) return { ok: true, catalogId };
      return {
        ok: false,
        lasting: false,
        problem: `the Teams app catalog could not be read (${err.kind})`,
      };
    }
  }

  private async byManifestId(
    manifestId: string,
  ): Promise<CatalogAnswer & { unpublished?: boolean }> {
    const apps = await this.directory.teamsApps({ externalId: manifestId });
    const app = apps.find((a) => a.distributionMethod === 'organization') ?? apps[0];
    if (!app) {
      return {
        ok: false,
        lasting: true,
        unpublished: true,
        problem: `the app (TEAMS_APP_ID ${manifestId}) is not in the practice's Teams app catalog yet: publish it and have it approved (Install in Teams, step 4)`,
      };
    }
    return { ok: true, catalogId: app.id };
  }

  private async checkCatalogId(
    catalogId: string,
    manifestId: string | undefined,
  ): Promise<CatalogAnswer & { unpublished?: boolean }> {
    const [app] = await this.directory.teamsApps({ id: catalogId });
    if (app)
      return sameApp(app, manifestId)
        ? { ok: true, catalogId }
        : {
            ok: false,
            lasting: true,
            problem: `TEAMS_APP_CATALOG_ID ${catalogId} is another app ("${app.displayName ?? app.id}"), not TEAMS_APP_ID ${manifestId}`,
          };
    const [published] = await this.directory.teamsApps({ externalId: catalogId });
    if (published) {
      return {
        ok: false,
        lasting: true,
        problem: `TEAMS_APP_CATALOG_ID ${catalogId} is the app's manifest id; its id in the Teams app catalog is ${published.id} (or leave TEAMS_APP_CATALOG_ID empty and set TEAMS_APP_ID to look it up)`,
      };
    }
    return {
      ok: false,
      lasting: true,
      unpublished: true,
      problem: `TEAMS_APP_CATALOG_ID ${catalogId} is not in the practice's Teams app catalog: publish the app, or leave TEAMS_APP_CATALOG_ID empty and set TEAMS_APP_ID to look its id up`,
    };
  }
}

function sameApp(app: TeamsApp, manifestId: string | undefined): boolean {
  return (
    !manifestId ||
    !app.externalId ||
    app.externalId.toLowerCase() === manifestId.toLowerCase() ||
    app.id.toLowerCase() === manifestId.toLowerCase()
  );
}
