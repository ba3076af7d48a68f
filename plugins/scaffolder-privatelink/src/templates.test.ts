/**
 * The example templates (examples/templates) use only actions that exist, with inputs those actions know, and
 * refer only to outputs that the referenced steps' actions produce. The IaC skeleton renders to CloudFormation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'yaml';
import { DEFAULT_TAG_KEYS, mockClientFactories } from './__testUtils__/clients';
import { testWrites } from './__testUtils__/writes';
import { createAcceptConnectionsAction } from './actions/acceptConnections';
import { createAllowPrincipalsAction } from './actions/allowPrincipals';
import { createEndpointServiceAction } from './actions/createEndpointService';
import { createNetworkLoadBalancerAction } from './actions/createNetworkLoadBalancer';
import { createRejectConnectionsAction } from './actions/rejectConnections';
import { createRevokePrincipalsAction } from './actions/revokePrincipals';
import { createVerifyPrivateDnsAction } from './actions/verifyPrivateDns';
import { createVpcEndpointAction } from './actions/createVpcEndpoint';
import { createRetireEndpointServiceAction } from './actions/retireEndpointService';
import { createDeleteNetworkLoadBalancerAction } from './actions/deleteNetworkLoadBalancer';

const TEMPLATES = join(__dirname, '../../../examples/templates');
/** Built-in actions of the scaffolder backend that the templates use. */
const BUILT_IN = new Set(['catalog:fetch', 'fetch:template', 'debug:log']);
/** The actions that create resources: their write path refuses a step without an owner. */
const CREATE_ACTIONS = new Set([
  'aws:privatelink:nlb:create',
  'aws:privatelink:endpoint-service:create',
  'aws:privatelink:endpoint:create',
]);

const clients = mockClientFactories();
// Only the schemas are read: the write path is never called.
const { writes } = testWrites({ ec2: clients.ec2 });
const actions = [
  createNetworkLoadBalancerAction({
    clients,
    tagKeys: DEFAULT_TAG_KEYS,
    writes,
  }),
  createEndpointServiceAction({ clients, tagKeys: DEFAULT_TAG_KEYS, writes }),
  createAllowPrincipalsAction({ writes, allowWildcardPrincipal: false }),
  createRevokePrincipalsAction({ writes }),
  createVerifyPrivateDnsAction({ clients, writes }),
  createVpcEndpointAction({
    ec2: clients.ec2,
    tagKeys: DEFAULT_TAG_KEYS,
    writes,
  }),
  createAcceptConnectionsAction({ writes }),
  createRejectConnectionsAction({ writes }),
  createRetireEndpointServiceAction({ writes }),
  createDeleteNetworkLoadBalancerAction({ clients, tagKeys: DEFAULT_TAG_KEYS, writes }),
];
const byId = new Map(actions.map(a => [a.id, a]));
const keysOf = (schema: unknown) =>
  Object.keys(
    (schema as { properties?: object } | undefined)?.properties ?? {},
  );

function load(name: string) {
  return yaml.parse(
    readFileSync(join(TEMPLATES, name, 'template.yaml'), 'utf8'),
  );
}

describe.each(['expose-service-privately', 'request-access-to-a-service', 'retire-a-private-service'])(
  'template %s',
  name => {
    const template = load(name);
    const steps: any[] = template.spec.steps;

    it('is a v1beta3 template named after its folder', () => {
      expect(template).toMatchObject({
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name },
      });
    });

    it('uses only actions that exist, with inputs they know', () => {
      for (const step of steps) {
        if (BUILT_IN.has(step.action)) continue;
        const action = byId.get(step.action);
        expect(action).toBeDefined();
        const known = keysOf(action!.schema?.input);
        expect(Object.keys(step.input).filter(k => !known.includes(k))).toEqual(
          [],
        );
      }
    });


    it('refers only to outputs that the steps produce', () => {
      const text = JSON.stringify(template);
      const refs = [...text.matchAll(/steps\.([\w-]+)\.output\.(\w+)/g)];
      expect(refs.length).toBeGreaterThan(0);
      for (const [, stepId, output] of refs) {
        const step = steps.find(s => s.id === stepId);
        expect(step).toBeDefined();
        if (BUILT_IN.has(step.action)) continue;
        expect(keysOf(byId.get(step.action)!.schema?.output)).toContain(output);
      }
    });
  },
);

describe.each(['expose-service-privately', 'request-access-to-a-service'])('template %s, which creates', name => {
  it('names the owner in every step that creates a resource, as the write path requires', () => {
    const creating = (load(name).spec.steps as any[]).filter(s => CREATE_ACTIONS.has(s.action));
    expect(creating.length).toBeGreaterThan(0);
    for (const step of creating) {
      expect(step.input.owner).toEqual(expect.stringMatching(/\S/));
    }
  });
});

describe('template retire-a-private-service', () => {
  const steps: any[] = load('retire-a-private-service').spec.steps;

  it('creates nothing, retires the picked service with the typed confirmation, and deletes only the load balancers it used', () => {
    expect(steps.filter(s => CREATE_ACTIONS.has(s.action))).toEqual([]);
    expect(steps.find(s => s.id === 'retire').input).toMatchObject({
      serviceId: "${{ steps.service.output.entity.metadata.annotations['privatelink.io/service-id'] }}",
      confirmName: '${{ parameters.confirmName }}',
    });
    expect(steps.find(s => s.id === 'loadBalancer')).toMatchObject({
      action: 'aws:privatelink:nlb:delete',
      each: '${{ steps.retire.output.loadBalancerArns }}',
    });
  });
});

describe('the CloudFormation skeleton', () => {
  it('renders to a template with the NLB, listener, target group, endpoint service and permissions', () => {
    const values: Record<string, unknown> = {
      name: 'orders-api',
      component: 'component:default/orders-api',
      owner: 'group:default/orders',
      system: 'commerce',
      loadBalancerArn: '',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      port: 443,
      targetPort: 8080,
      targetType: 'ip',
      principals: ['arn:aws:iam::210987654321:root'],
      acceptanceRequired: true,
      privateDnsName: '',
    };
    const source = readFileSync(
      join(TEMPLATES, 'expose-service-privately/skeleton/cloudformation.yaml'),
      'utf8',
    );
    // The only expressions the skeleton uses: a value, or a list joined with commas.
    const rendered = source.replace(
      /\$\{\{\s*values\.(\w+)(\s*\|\s*join\(","\))?\s*\}\}/g,
      (_, key: string, joined?: string) =>
        joined ? (values[key] as string[]).join(',') : String(values[key]),
    );
    expect(rendered).not.toContain('${{');
    const cfn = yaml.parse(rendered, { logLevel: 'error' });
    expect(Object.keys(cfn.Resources)).toEqual([
      'LoadBalancer',
      'TargetGroup',
      'Listener',
      'EndpointService',
      'EndpointServicePermissions',
    ]);
    expect(cfn.Resources.LoadBalancer.Properties).toMatchObject({
      Name: 'orders-api',
      Type: 'network',
      Scheme: 'internal',
    });
    expect(cfn.Parameters.SubnetIds.Default).toBe(
      'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
    );
    expect(cfn.Resources.EndpointService.Properties.Tags).toContainEqual({
      Key: 'backstage:name',
      Value: 'orders-api',
    });
  });
});
