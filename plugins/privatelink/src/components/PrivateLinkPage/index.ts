export { PrivateLinkPage, PrivateLinkPageContent } from './PrivateLinkPage';
export { PrivateLinkServicesTable } from './PrivateLinkServicesTable';
