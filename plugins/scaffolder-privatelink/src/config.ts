import { Config } from '@backstage/config';
import { PrivateLinkConfig, readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';

/** What the actions take from the app config, read and validated once at start-up. */
export type ActionsConfig = {
  /** The validated `privatelink` block, the same the backend plugin reads. */
  privatelink: PrivateLinkConfig;
  /**
   * True when `privatelink.emulator` says the clients talk to an emulator (moto). moto writes every load
   * balancer ARN as `loadbalancer/app/…`, even for network load balancers; only then are such ARNs accepted.
   * Setting `privatelink.endpoint` alone does not turn this on.
   */
  emulator: boolean;
};

/** The actions' settings from the backend's one validated `privatelink` block (its accounts stay live). */
export function actionsConfig(privatelink: PrivateLinkConfig): ActionsConfig {
  return { privatelink, emulator: privatelink.emulator };
}

/** Reads the `privatelink` block with the same validation as the backend plugin: a bad field stops the start. */
export function readActionsConfig(config: Config): ActionsConfig {
  return actionsConfig(readPrivateLinkConfig(config));
}
