import { Config } from '@backstage/config';
import { PrivateLinkConfig, readPrivateLinkConfig } from '@privatelink-backstage/plugin-privatelink-node';

/** What the actions take from the app config, read and validated once at start-up. */
export type ActionsConfig = {
  /** The validated `privatelink` block, the same the backend plugin reads. */
  privatelink: PrivateLinkConfig;
  /**
   * True when `privatelink.endpoint` points the clients at an emulator (moto). moto writes every load balancer
   * ARN as `loadbalancer/app/…`, even for network load balancers; only then are such ARNs accepted.
   */
  emulator: boolean;
};

/** Reads the `privatelink` block with the same validation as the backend plugin: a bad field stops the start. */
export function readActionsConfig(config: Config): ActionsConfig {
  const privatelink = readPrivateLinkConfig(config);
  return { privatelink, emulator: Boolean(privatelink.endpoint) };
}
