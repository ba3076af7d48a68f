/**
 * Scaffolder actions `aws:privatelink:*` that expose services through AWS PrivateLink and connect consumers.
 *
 * @packageDocumentation
 */
export { scaffolderModulePrivateLink as default } from './module';
export { createAllowPrincipalsAction } from './actions/allowPrincipals';
export { createRevokePrincipalsAction } from './actions/revokePrincipals';
export { createNetworkLoadBalancerAction } from './actions/createNetworkLoadBalancer';
export { createEndpointServiceAction } from './actions/createEndpointService';
export { createVerifyPrivateDnsAction } from './actions/verifyPrivateDns';
export { createVpcEndpointAction } from './actions/createVpcEndpoint';
export { createAcceptConnectionsAction } from './actions/acceptConnections';
export { createRejectConnectionsAction } from './actions/rejectConnections';
export { createAwsClientFactories } from './aws';
export type {
  AwsClientFactories,
  Ec2ClientFactory,
  ElbClientFactory,
  Route53ClientFactory,
} from './aws';
