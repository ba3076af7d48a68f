// @ts-check

/**
 * Access requests and the audit log of the PrivateLink plugin.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('privatelink_access_requests', table => {
    table.comment('Consumers asking to be allowed on an endpoint service');
    table.string('id').primary().notNullable();
    table.string('service_ref').notNullable().comment('Entity ref of the vpc-endpoint-service Resource');
    table.string('consumer_ref').notNullable().comment('Component or group that will consume');
    table.string('account_id', 12).notNullable().comment('Account that becomes an allowed principal');
    table.text('reason').notNullable();
    table.string('status').notNullable().comment('pending, approving, approved, denied, failed');
    table.string('requested_by').notNullable().comment('User entity ref, from httpAuth');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.string('decided_by').nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_reason').nullable();
    table.text('accepted_endpoint_ids').nullable().comment('JSON array');
    table.text('error').nullable();
    table.index(['service_ref', 'status']);
    table.index(['requested_by']);
  });
  await knex.schema.createTable('privatelink_audit', table => {
    table.comment('Every change carried out through the PrivateLink API, and its outcome (refusals go to the auditor service)');
    table.increments('id').primary();
    table.string('actor').notNullable();
    table.string('action').notNullable();
    table.string('service_ref').notNullable();
    table.text('details').notNullable().comment('JSON');
    table.string('result').notNullable().comment('success, error');
    table.text('message').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['service_ref', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('privatelink_audit');
  await knex.schema.dropTable('privatelink_access_requests');
};
