// The early build of a full sync: the entities are built once every account × region has read its lists, while
// the paced permissions calls still run, and only their allowed principals are filled in at the end.
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { AccountRegionSnapshot } from '../aws/types';
import { fillAllowedPrincipals } from './principals';

/**
 * Everything but the services' allowed principals is known once every account × region of a full sync has read
 * its lists, well before the last of its paced permissions calls. This builds the entities then, in the time
 * those calls take anyway, and hands them over at the end with the principals filled in — or nothing, when the
 * snapshots are no longer the ones it built from (a read failed, a targeted refresh changed one, entities were
 * kept from the catalog), and the caller builds them anew.
 */
export class EarlyEntityBuild {
  readonly #keys: string[];
  readonly #build: (snapshots: AccountRegionSnapshot[]) => Entity[];
  readonly #logger: LoggerService;
  readonly #lists = new Map<string, AccountRegionSnapshot>();
  #built?: Entity[];

  /**
   * @param keys - the sync's account × region keys, in the order the entities are built in.
   * @param build - builds the entities of snapshots (buildEntities with the installation's configuration).
   */
  constructor(keys: string[], build: (snapshots: AccountRegionSnapshot[]) => Entity[], logger: LoggerService) {
    this.#keys = keys;
    this.#build = build;
    this.#logger = logger;
  }

  /** The `onLists` of one account × region's read: its snapshot without allowed principals; builds after the last. */
  onLists(key: string, snapshot: AccountRegionSnapshot): void {
    this.#lists.set(key, snapshot);
    if (this.#lists.size < this.#keys.length) return;
    try {
      this.#built = this.#build(this.#keys.map(k => this.#lists.get(k)!));
    } catch (e) {
      this.#logger.debug('Could not build the entities before the last permissions calls', { error: (e as Error).message });
    }
  }

  /**
   * The entities of `snapshots` (the sync's final ones, in the order of the keys), when they are what the early
   * build saw: each the final read of its key (`read`), sharing its endpoints with the lists' snapshot.
   * `undefined` otherwise: build them anew.
   */
  entitiesFor(snapshots: AccountRegionSnapshot[], read: Map<string, AccountRegionSnapshot>): Entity[] | undefined {
    const built = this.#built;
    if (!built || snapshots.length !== this.#keys.length) return undefined;
    const unchanged = this.#keys.every((key, i) => {
      const [final, lists] = [read.get(key), this.#lists.get(key)];
      // readAccountRegion's final snapshot shares its endpoints with the one it passed to onLists.
      return snapshots[i] === final && lists !== undefined && final.endpoints === lists.endpoints;
    });
    return unchanged && fillAllowedPrincipals(built, snapshots) ? built : undefined;
  }
}
