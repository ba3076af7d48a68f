export interface Config {
  privatelink?: {
    /**
     * The PrivateLink entity card warns about connections that have been pending acceptance for longer than
     * this many days. Default: 3.
     * @visibility frontend
     */
    pendingWarningDays?: number;
  };
}
