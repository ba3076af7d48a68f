// @ts-check

/**
 * Access requests bound to real things and decisions that stand:
 * - the AWS service the request is for (a decision acts only while the entity at the ref is still that service);
 * - whether the account is outside the configured organisation (`external`, shown to the owners);
 * - when a decision claimed the request (a claim older than the AWS timeout is swept, so a crash halfway leaves
 *   the request decidable again);
 * - where the follow-up that accepts the consumer's connections stands (`active`, or why it stopped).
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('privatelink_access_requests', table => {
    table.string('service_account_id', 12).nullable();
    table.string('service_region').nullable();
    table.string('service_id').nullable();
    table.boolean('external').notNullable().defaultTo(false);
    table.timestamp('claimed_at', { useTz: true }).nullable();
    table.string('follow_up').notNullable().defaultTo('active').comment('active, accepted, revoked, rejected');
    table.text('rejected_at_approval').nullable().comment('JSON array: connections of the account rejected before the approval');
    table.index(['requested_by', 'service_ref', 'status']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('privatelink_access_requests', table => {
    table.dropIndex(['requested_by', 'service_ref', 'status']);
    table.dropColumns('service_account_id', 'service_region', 'service_id', 'external', 'claimed_at', 'follow_up', 'rejected_at_approval');
  });
};
