import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';

/**
 * A link to an entity given by a possibly short ref (`payments` for `group:default/payments`, as spec.owner
 * may be written), showing the humanized ref (or `children`); the text itself when it is not a ref, a dash
 * when there is none. Giving the link its text skips the entity presentation lookup and its tooltip, which
 * keeps rows of tables cheap to render.
 */
export function EntityLink(props: {
  entityRef?: string;
  defaultKind: string;
  children?: string;
}) {
  const { entityRef, defaultKind } = props;
  if (!entityRef) return <>—</>;
  let ref;
  try {
    ref = parseEntityRef(entityRef, {
      defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    return <>{entityRef}</>;
  }
  return (
    <EntityRefLink entityRef={ref}>
      {props.children ?? humanizeEntityRef(ref, { defaultKind })}
    </EntityRefLink>
  );
}
