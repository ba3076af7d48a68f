// @ts-check

/**
 * The connections awaiting acceptance whose owners were notified: one row per connection, so that of the replicas
 * (and the repeated announcements) that hear of one, only the one whose insert creates the row notifies.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('privatelink_pending_notifications', table => {
    table.comment('Connections awaiting acceptance whose owners were told, once per connection');
    table.string('account_id', 12).notNullable().comment('Account of the endpoint service');
    table.string('region').notNullable();
    table.string('service_id').notNullable().comment('vpce-svc-…');
    table.string('endpoint_id').notNullable().comment("The consumer's VPC endpoint, vpce-…");
    table.string('service_ref').notNullable().comment('Entity ref of the vpc-endpoint-service Resource notified about');
    table.string('consumer_account_id', 12).nullable().comment('Account of the consumer, as EC2 reported it');
    table.timestamp('notified_at', { useTz: true }).notNullable();
    table.primary(['account_id', 'region', 'service_id', 'endpoint_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('privatelink_pending_notifications');
};
