import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import { AccessRequestsTable } from '../requests/AccessRequestsTable';
import { PrivateLinkServicesTable } from './PrivateLinkServicesTable';

/**
 * The body of the PrivateLink page, without a page header (the new frontend system's page
 * layout provides one).
 */
export function PrivateLinkPageContent() {
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <PrivateLinkServicesTable />
        </Grid>
        <Grid item xs={12}>
          <AccessRequestsTable title="Your access requests" />
        </Grid>
      </Grid>
    </Content>
  );
}

/**
 * The standalone PrivateLink page: every endpoint service one can consume privately, and the user's access
 * requests.
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
