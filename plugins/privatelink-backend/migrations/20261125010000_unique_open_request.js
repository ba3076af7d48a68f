// @ts-check

/**
 * At most one open (pending or being approved) request per service, consumer, account and requester, so that
 * two concurrent identical requests cannot both be stored.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `CREATE UNIQUE INDEX privatelink_access_requests_open_unique
       ON privatelink_access_requests (service_ref, consumer_ref, account_id, requested_by)
       WHERE status IN ('pending', 'approving')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX privatelink_access_requests_open_unique');
};
