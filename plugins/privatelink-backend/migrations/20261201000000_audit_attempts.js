// @ts-check

/**
 * The audit log records every attempt to change AWS through Backstage, whichever door it came through: the
 * door (`via`), the AWS service it was on (known before its catalog entity exists, for a service being created),
 * `started` rows written before AWS is called and completed after, and `refused` rows.
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('privatelink_audit', table => {
    table.string('via').notNullable().defaultTo('api').comment('api, scaffolder or job');
    table.string('account_id', 12).nullable();
    table.string('region').nullable();
    table.string('service_id').nullable();
    table.timestamp('completed_at', { useTz: true }).nullable();
    table.index(['service_id', 'id']);
  });
  await knex.schema.alterTable('privatelink_audit', table => {
    table.string('service_ref').nullable().alter();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex('privatelink_audit').whereNull('service_ref').update({ service_ref: '' });
  await knex.schema.alterTable('privatelink_audit', table => {
    table.string('service_ref').notNullable().alter();
  });
  await knex.schema.alterTable('privatelink_audit', table => {
    table.dropIndex(['service_id', 'id']);
    table.dropColumns('via', 'account_id', 'region', 'service_id', 'completed_at');
  });
};
