import { Content, Header, Page } from '@backstage/core-components';
import { PrivateLinkServicesTable } from './PrivateLinkServicesTable';

/**
 * The body of the PrivateLink page, without a page header (the new frontend system's page
 * layout provides one).
 */
export function PrivateLinkPageContent() {
  return (
    <Content>
      <PrivateLinkServicesTable />
    </Content>
  );
}

/**
 * The standalone PrivateLink page: every endpoint service one can consume privately.
 *
 * @public
 */
export function PrivateLinkPage() {
  return (
    <Page themeId="tool">
      <Header title="PrivateLink" subtitle="What can I consume privately?" />
      <PrivateLinkPageContent />
    </Page>
  );
}
