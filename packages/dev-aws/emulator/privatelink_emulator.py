"""The PrivateLink lifecycle on top of moto 5.x (server mode).

moto 5.2.1 creates endpoint services and endpoints, but makes every endpoint `available` at once, reports every
private DNS name as `verified`, shows a consumer no other account's services, and does not implement
DescribeVpcEndpointConnections, Accept/RejectVpcEndpointConnections or
StartVpcEndpointServicePrivateDnsVerification. This layer adds them on moto's own backends (so moto's reset clears
them), with the request and response shapes of botocore's EC2 model, which moto's serializer applies.

What it implements and what it leaves out: docs/emulator.md. Only for the demo and the tests: never point it at
anything but loopback.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
import time
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import (
    EC2ClientError,
    InvalidFilter,
    InvalidNextToken,
    InvalidParameter,
    InvalidServiceName,
    UnknownVpcEndpointService,
)
from moto.ec2.models import ec2_backends
from moto.ec2.models.vpc_service_configuration import (
    VPCServiceConfiguration,
    VPCServiceConfigurationBackend,
)
from moto.ec2.models.vpcs import VPCBackend, VPCEndPoint
from moto.ec2.responses import EC2Response
from moto.ec2.responses.vpc_service_configuration import VPCEndpointServiceConfiguration
from moto.ec2.responses.vpcs import VPCs
from moto.moto_api._internal import mock_random
from moto.route53.models import route53_backends

VERSION = "1"

#: Seconds a started private DNS verification waits for its TXT record before it is `failed`.
TIMEOUT_ENV = "PRIVATELINK_EMULATOR_DNS_VERIFICATION_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT_SECONDS = 86400.0

#: The filters DescribeVpcEndpointConnections accepts (botocore's EC2 model).
CONNECTION_FILTERS = {
    "ip-address-type",
    "service-id",
    "vpc-endpoint-owner",
    "vpc-endpoint-region",
    "vpc-endpoint-state",
    "vpc-endpoint-id",
}
#: EC2 documents MaxResults between 5 and 1000 for DescribeVpcEndpointConnections; larger values mean 1000.
MIN_RESULTS, MAX_RESULTS = 5, 1000
#: Connection states that keep an endpoint service from being deleted.
ACTIVE_STATES = {"pendingAcceptance", "pending", "available"}

_installed = False

#: moto's server answers requests on several threads. The layer's check-then-change steps (create an endpoint
#: and set its state, accept or reject, delete unless busy, list the connections) hold this lock, so that no
#: request sees an endpoint half-created or a decision half-made.
_LOCK = threading.RLock()


# ---------------------------------------------------------------------------------------------------------------
# Look-ups across moto's backends (the provider's service and the consumers' endpoints live in different accounts)


def _regional_backends(region: str) -> list[Any]:
    """The EC2 backends of every account that has one in `region` (none is created by looking)."""
    found = []
    for account_backends in list(ec2_backends.values()):
        backend = dict.get(account_backends, region)
        if backend is not None:
            found.append(backend)
    return found


def _region_of(service_name: str) -> str | None:
    parts = service_name.split(".")
    # com.amazonaws.vpce.<region>.vpce-svc-…
    if len(parts) == 5 and parts[:3] == ["com", "amazonaws", "vpce"]:
        return parts[3]
    return None


def _find_service(service_name: str) -> VPCServiceConfiguration | None:
    region = _region_of(service_name or "")
    if region is None:
        return None
    for backend in _regional_backends(region):
        for config in list(backend.configurations.values()):
            if config.service_name == service_name:
                return config
    return None


def _interface_endpoints_by_service(region: str) -> dict[str, list[tuple[str, VPCEndPoint]]]:
    """(consumer account, endpoint) of every interface endpoint in `region`, by service name; deleted ones left out."""
    index: dict[str, list[tuple[str, VPCEndPoint]]] = {}
    for backend in _regional_backends(region):
        for endpoint in list(backend.vpc_end_points.values()):
            if (endpoint.vpc_endpoint_type or "").lower() == "interface" and endpoint.state != "deleted":
                index.setdefault(endpoint.service_name, []).append((backend.account_id, endpoint))
    return index


def _connections(config: VPCServiceConfiguration) -> list[tuple[str, VPCEndPoint]]:
    """(consumer account, endpoint) of every interface endpoint to `config`, deleted ones left out."""
    return _interface_endpoints_by_service(config.ec2_backend.region_name).get(config.service_name, [])


def _may_connect(config: VPCServiceConfiguration, account_id: str) -> bool:
    """Whether `account_id` is the service's owner or among its allowed principals (any principal of the account)."""
    if account_id == config.ec2_backend.account_id:
        return True
    for principal in config.principals:
        if principal == "*" or principal == account_id:
            return True
        if principal.startswith("arn:") and principal.split(":")[4:5] == [account_id]:
            return True
    return False


# ---------------------------------------------------------------------------------------------------------------
# Private DNS name verification


def _timeout_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_SECONDS)))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS


def _new_verification(config: VPCServiceConfiguration) -> None:
    """A new name, or a new service: a new record to prove it, and a verification running from now."""
    config._pl_dns_record = f"_{mock_random.get_random_string(length=20, lower_case=True)}"
    config._pl_dns_value = f"vpce:{mock_random.get_random_string(length=20)}"
    config._pl_dns_state = "pendingVerification"
    config._pl_dns_started = time.time()


def _normalise(name: str) -> str:
    return name.rstrip(".").lower()


def _record_candidates(config: VPCServiceConfiguration) -> set[str]:
    """The TXT record may sit at the private DNS name's domain or at any of its parent domains."""
    labels = _normalise(config.private_dns_name).removeprefix("*.").split(".")
    return {f"{config._pl_dns_record}.{'.'.join(labels[i:])}" for i in range(len(labels) - 1)}


def _txt_values(record_set: Any) -> list[str]:
    values = []
    for record in record_set.records or []:
        value = record.get("Value", "") if isinstance(record, dict) else str(record)
        values.append(value.strip().strip('"'))
    return values


def _txt_published(config: VPCServiceConfiguration) -> bool:
    """Whether a public Route 53 hosted zone (of any account: public DNS) holds the verification record."""
    names = _record_candidates(config)
    for account_backends in list(route53_backends.values()):
        backend = dict.get(account_backends, "aws")
        if backend is None:
            continue
        for zone in list(backend.zones.values()):
            if zone.private_zone:
                continue
            for record_set in list(zone.rrsets):
                if (
                    record_set.type == "TXT"
                    and _normalise(record_set.name) in names
                    and config._pl_dns_value in _txt_values(record_set)
                ):
                    return True
    return False


def _dns_state(config: VPCServiceConfiguration) -> str | None:
    """pendingVerification → verified once the record is published, → failed when the time runs out."""
    if not config.private_dns_name:
        return None
    if config._pl_dns_state == "pendingVerification":
        if _txt_published(config):
            config._pl_dns_state = "verified"
        elif time.time() - config._pl_dns_started >= _timeout_seconds():
            config._pl_dns_state = "failed"
    return config._pl_dns_state


def _private_dns_name_configuration(self: VPCServiceConfiguration) -> dict[str, str]:
    state = _dns_state(self)
    if state is None:
        return {}
    return {"State": state, "Type": "TXT", "Value": self._pl_dns_value, "Name": self._pl_dns_record}


#: The IP address types an endpoint service may support (botocore's EC2 model: ServiceConnectivityType).
IP_ADDRESS_TYPES = ("ipv4", "ipv6")


def _supported_ip_address_types(self: VPCServiceConfiguration) -> list[str]:
    return list(getattr(self, "_pl_ip_types", None) or ["ipv4"])


def _load_balancer_ip_types(account_id: str, region: str, arns: list[str]) -> list[tuple[str, str]]:
    """(arn, IpAddressType) of the load balancers named; an unknown one counts as `ipv4`."""
    from moto.elbv2.models import elbv2_backends

    lbs = elbv2_backends[account_id][region].load_balancers
    return [(arn, getattr(lbs.get(arn), "ip_address_type", None) or "ipv4") for arn in arns]


def _check_ip_address_types(named: list[str], final: list[str], lb_types: list[tuple[str, str]]) -> None:
    """As EC2 refuses them: a type it does not know (`named`: every type the request names), a service left with
    none (`final`), or IPv6 behind a load balancer that is not dualstack."""
    unknown = [t for t in named if t not in IP_ADDRESS_TYPES]
    if unknown:
        raise InvalidParameter(f"Invalid IP address type: {unknown[0]}. Valid values: ipv4, ipv6.")
    if not final:
        raise InvalidParameter("An endpoint service must support at least one IP address type.")
    if "ipv6" in final:
        ipv4_only = [arn for arn, t in lb_types if t != "dualstack"]
        if ipv4_only:
            raise InvalidParameter(
                f"The load balancer {ipv4_only[0]} does not support IPv6: its IP address type must be dualstack."
            )


# ---------------------------------------------------------------------------------------------------------------
# Models


def _patch_models() -> None:
    original_init = VPCServiceConfiguration.__init__

    def __init__(self: VPCServiceConfiguration, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        _new_verification(self)

    VPCServiceConfiguration.__init__ = __init__  # type: ignore[method-assign]
    VPCServiceConfiguration.private_dns_name_configuration = property(_private_dns_name_configuration)  # type: ignore[assignment]
    VPCServiceConfiguration.supported_ip_address_types = property(_supported_ip_address_types)  # type: ignore[attr-defined]

    original_to_dict = VPCServiceConfiguration.to_dict

    def to_dict(self: VPCServiceConfiguration) -> dict[str, Any]:
        """The consumer's view (ServiceDetail): with the verification state and the service's tags."""
        details = original_to_dict(self)
        details["PrivateDnsNameVerificationState"] = _dns_state(self)
        if not self.private_dns_name:
            details.pop("PrivateDnsName", None)
            details["PrivateDnsNames"] = []
        details["Tags"] = [{"Key": k, "Value": v} for k, v in self.ec2_backend.tags.get(self.id, {}).items()]
        details["SupportedIpAddressTypes"] = _supported_ip_address_types(self)
        return details

    VPCServiceConfiguration.to_dict = to_dict  # type: ignore[method-assign]

    original_modify = VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration

    def modify_vpc_endpoint_service_configuration(self: Any, service_id: str, **kwargs: Any) -> None:
        config = self.describe_vpc_endpoint_service_configurations([service_id])[0]
        before = config.private_dns_name
        original_modify(self, service_id, **kwargs)
        if config.private_dns_name and _normalise(config.private_dns_name) != _normalise(before or ""):
            _new_verification(config)

    VPCServiceConfigurationBackend.modify_vpc_endpoint_service_configuration = (  # type: ignore[method-assign]
        modify_vpc_endpoint_service_configuration
    )

    def describe_vpc_endpoint_services(
        self: Any,
        service_names: list[str],
        filters: Any,
        max_results: int,
        next_token: str | None,
        region: str,
    ) -> dict[str, Any]:
        """moto's, with the services of other accounts that allow this account (as EC2 shows them)."""
        offered = [
            config
            for backend in _regional_backends(region)
            for config in list(backend.configurations.values())
            if backend is self or _may_connect(config, self.account_id)
        ]
        all_services = self._collect_default_endpoint_services(self.account_id, region) + [
            config.to_dict() for config in offered
        ]
        known = {s["ServiceName"] for s in all_services}
        for name in service_names:
            if name not in known:
                raise InvalidServiceName(name)
        services = sorted(
            self._filter_endpoint_services(service_names, filters, all_services),
            key=lambda s: s["ServiceName"],
        )
        start = 0
        ids = [s["ServiceId"] for s in services]
        if next_token:
            if next_token not in ids:
                raise InvalidNextToken(next_token)
            start = ids.index(next_token)
        if not max_results or max_results > MAX_RESULTS:
            max_results = MAX_RESULTS
        page = services[start : start + max_results]
        following = services[start + max_results] if len(services) > start + max_results else None
        return {
            "servicesDetails": page,
            "serviceNames": [s["ServiceName"] for s in page],
            "nextToken": following["ServiceId"] if following else None,
        }

    VPCBackend.describe_vpc_endpoint_services = describe_vpc_endpoint_services  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------------------------
# Responses: the consumer's side


def _bool_param(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    return str(value).lower() == "true"


def _endpoint_ip_type(config: VPCServiceConfiguration, asked: str | None) -> str:
    """The endpoint's IP address type: as asked when the service supports it (EC2 refuses otherwise), else IPv4 when
    the service supports it, else IPv6."""
    supported = _supported_ip_address_types(config)
    if asked is None:
        return "ipv4" if "ipv4" in supported else "ipv6"
    needs = {"ipv4": ["ipv4"], "ipv6": ["ipv6"], "dualstack": ["ipv4", "ipv6"]}.get(asked)
    if needs is None:
        raise InvalidParameter(f"Invalid IP address type: {asked}. Valid values: ipv4, dualstack, ipv6.")
    missing = [t for t in needs if t not in supported]
    if missing:
        raise InvalidParameter(
            f"The VPC endpoint service {config.service_name} does not support the IP address type {missing[0]}."
        )
    return asked


def _patch_consumer_responses() -> None:
    original_create = VPCs.create_vpc_endpoint

    def create_vpc_endpoint(self: Any) -> ActionResult:
        """Refused before anything is created when the account may not connect or private DNS cannot be enabled."""
        with _LOCK:
            return _create_vpc_endpoint(self)

    def _create_vpc_endpoint(self: Any) -> ActionResult:
        endpoint_type = (self._get_param("VpcEndpointType") or "Gateway").lower()
        service_name = self._get_param("ServiceName")
        if not service_name:
            raise InvalidParameter("The request must contain the parameter ServiceName.")
        config = _find_service(service_name) if endpoint_type == "interface" else None
        if endpoint_type == "interface" and config is None and service_name.startswith("com.amazonaws.vpce."):
            raise InvalidServiceName(service_name)
        explicit_dns = _bool_param(self._get_param("PrivateDnsEnabled"))
        if config is not None:
            if not _may_connect(config, self.current_account):
                # EC2 does not reveal a service that the account may not see.
                raise InvalidServiceName(service_name)
            if explicit_dns and not config.private_dns_name:
                raise InvalidParameter(
                    f"Private DNS can't be enabled because the service {service_name} does not provide a private DNS name."
                )
            if explicit_dns and _dns_state(config) != "verified":
                raise InvalidParameter(
                    f"Private DNS can't be enabled because the private DNS name of the service {service_name} is not verified."
                )
            ip_type = _endpoint_ip_type(config, self._get_param("IpAddressType"))
        result = original_create(self)
        if config is not None:
            endpoint = result.result["VpcEndpoint"]  # type: ignore[index]
            # Unset: EC2 enables it where the service's name is verified.
            endpoint.private_dns_enabled = (
                explicit_dns if explicit_dns is not None else _dns_state(config) == "verified"
            )
            endpoint.state = "pendingAcceptance" if config.acceptance_required else "available"
            endpoint.vpc_endpoint_connection_id = f"vpce-con-{mock_random.get_random_hex(length=17)}"
            endpoint.ip_address_type = ip_type
        return result

    VPCs.create_vpc_endpoint = create_vpc_endpoint  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------------------------
# Responses: the provider's side


def _encode_token(offset: int, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "f": fingerprint}).encode()).decode()


def _decode_token(token: str, fingerprint: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = int(data["o"])
        if data["f"] != fingerprint or offset < 0:
            raise ValueError(token)
        return offset
    except (ValueError, KeyError, TypeError, OverflowError, binascii.Error, json.JSONDecodeError):
        raise InvalidNextToken(token)


def _connection(config: VPCServiceConfiguration, owner: str, endpoint: VPCEndPoint) -> dict[str, Any]:
    return {
        "ServiceId": config.id,
        "VpcEndpointId": endpoint.id,
        "VpcEndpointOwner": owner,
        "VpcEndpointState": endpoint.state,
        "CreationTimestamp": endpoint.creation_timestamp,
        "DnsEntries": [
            {"DnsName": entry.get("dns_name"), "HostedZoneId": entry.get("hosted_zone_id")}
            for entry in endpoint.dns_entries or []
        ],
        "NetworkLoadBalancerArns": list(config.network_load_balancer_arns),
        "GatewayLoadBalancerArns": list(config.gateway_load_balancer_arns),
        "IpAddressType": getattr(endpoint, "ip_address_type", None) or "ipv4",
        "VpcEndpointConnectionId": getattr(endpoint, "vpc_endpoint_connection_id", None),
        "VpcEndpointRegion": config.ec2_backend.region_name,
    }


def _matches(connection: dict[str, Any], filters: dict[str, list[str]]) -> bool:
    fields = {
        "ip-address-type": "IpAddressType",
        "service-id": "ServiceId",
        "vpc-endpoint-owner": "VpcEndpointOwner",
        "vpc-endpoint-state": "VpcEndpointState",
        "vpc-endpoint-id": "VpcEndpointId",
        "vpc-endpoint-region": "VpcEndpointRegion",
    }
    return all(connection[fields[name]] in values for name, values in filters.items())


def describe_vpc_endpoint_connections(self: Any) -> ActionResult:
    """The connections to the caller's endpoint services, from every account's endpoints in the region."""
    with _LOCK:
        return _describe_vpc_endpoint_connections(self)


def _describe_vpc_endpoint_connections(self: Any) -> ActionResult:
    filters = self._filters_from_querystring()
    for name in filters:
        if name not in CONNECTION_FILTERS:
            raise InvalidFilter(name)
    max_results = self._get_int_param("MaxResults")
    if max_results is not None and max_results < MIN_RESULTS:
        raise EC2ClientError(
            "InvalidParameterValue",
            f"Value ( {max_results} ) for parameter maxResults is invalid. Expecting a value greater than {MIN_RESULTS - 1}.",
        )
    limit = min(max_results or MAX_RESULTS, MAX_RESULTS)
    # One pass over the region's endpoints, whatever the number of the caller's services.
    by_service = _interface_endpoints_by_service(self.ec2_backend.region_name)
    connections = sorted(
        (
            _connection(config, owner, endpoint)
            for config in list(self.ec2_backend.configurations.values())
            for owner, endpoint in by_service.get(config.service_name, [])
        ),
        key=lambda c: (c["ServiceId"], c["CreationTimestamp"], c["VpcEndpointId"]),
    )
    connections = [c for c in connections if _matches(c, filters)]
    fingerprint = json.dumps(sorted(filters.items()), sort_keys=True)
    token = self._get_param("NextToken")
    start = _decode_token(token, fingerprint) if token else 0
    page = connections[start : start + limit]
    following = _encode_token(start + limit, fingerprint) if len(connections) > start + limit else None
    return ActionResult({"VpcEndpointConnections": page, "NextToken": following})


def _decide(self: Any, allowed: set[str], to_state: str, verb: str) -> ActionResult:
    with _LOCK:
        return _decide_locked(self, allowed, to_state, verb)


def _decide_locked(self: Any, allowed: set[str], to_state: str, verb: str) -> ActionResult:
    service_id = self._get_param("ServiceId")
    config = self.ec2_backend.configurations.get(service_id)
    if config is None:
        raise UnknownVpcEndpointService(service_id)
    endpoints = {endpoint.id: endpoint for _, endpoint in _connections(config)}
    unsuccessful = []
    for endpoint_id in self._get_param("VpcEndpointIds", []):
        endpoint = endpoints.get(endpoint_id)
        if endpoint is None:
            unsuccessful.append(
                {
                    "ResourceId": endpoint_id,
                    "Error": {
                        "Code": "InvalidVpcEndpointId.NotFound",
                        "Message": f"The VPC endpoint '{endpoint_id}' is not connected to {service_id}",
                    },
                }
            )
        elif endpoint.state not in allowed:
            unsuccessful.append(
                {
                    "ResourceId": endpoint_id,
                    "Error": {
                        "Code": "IncorrectState",
                        "Message": f"The VPC endpoint '{endpoint_id}' is {endpoint.state}: it cannot be {verb}",
                    },
                }
            )
        else:
            endpoint.state = to_state
    return ActionResult({"Unsuccessful": unsuccessful})


def accept_vpc_endpoint_connections(self: Any) -> ActionResult:
    """pendingAcceptance → available; other states and unknown ids come back in Unsuccessful."""
    return _decide(self, {"pendingAcceptance"}, "available", "accepted")


def reject_vpc_endpoint_connections(self: Any) -> ActionResult:
    """pendingAcceptance or available → rejected (the consumer's endpoint shows it); others in Unsuccessful."""
    return _decide(self, {"pendingAcceptance", "pending", "available"}, "rejected", "rejected")


def start_vpc_endpoint_service_private_dns_verification(self: Any) -> ActionResult:
    """Starts (again) the verification of the service's private DNS name; verified names stay verified."""
    service_id = self._get_param("ServiceId")
    config = self.ec2_backend.configurations.get(service_id)
    if config is None:
        raise UnknownVpcEndpointService(service_id)
    if not config.private_dns_name:
        raise InvalidParameter(f"The endpoint service {service_id} has no private DNS name to verify.")
    if _dns_state(config) != "verified":
        config._pl_dns_state = "pendingVerification"
        config._pl_dns_started = time.time()
        _dns_state(config)
    return ActionResult({"ReturnValue": True})


def _patch_provider_responses() -> None:
    EC2Response.describe_vpc_endpoint_connections = describe_vpc_endpoint_connections  # type: ignore[attr-defined]
    EC2Response.accept_vpc_endpoint_connections = accept_vpc_endpoint_connections  # type: ignore[attr-defined]
    EC2Response.reject_vpc_endpoint_connections = reject_vpc_endpoint_connections  # type: ignore[attr-defined]
    EC2Response.start_vpc_endpoint_service_private_dns_verification = (  # type: ignore[attr-defined]
        start_vpc_endpoint_service_private_dns_verification
    )

    original_create_service = VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration

    def create_vpc_endpoint_service_configuration(self: Any) -> ActionResult:
        """moto's, with SupportedIpAddressTypes (default IPv4), checked before the service is created."""
        types = list(self._get_param("SupportedIpAddressTypes", []) or ["ipv4"])
        arns = list(self._get_param("NetworkLoadBalancerArns", []) or [])
        _check_ip_address_types(types, [t for t in IP_ADDRESS_TYPES if t in types], _load_balancer_ip_types(self.current_account, self.region, arns))
        result = original_create_service(self)
        result.result["ServiceConfiguration"]._pl_ip_types = [t for t in IP_ADDRESS_TYPES if t in types]  # type: ignore[index]
        return result

    VPCEndpointServiceConfiguration.create_vpc_endpoint_service_configuration = (  # type: ignore[method-assign]
        create_vpc_endpoint_service_configuration
    )

    original_modify = VPCEndpointServiceConfiguration.modify_vpc_endpoint_service_configuration

    def modify_vpc_endpoint_service_configuration(self: Any) -> ActionResult:
        """moto's, with RemovePrivateDnsName."""
        remove = _bool_param(self._get_param("RemovePrivateDnsName"))
        if remove and self._get_param("PrivateDnsName"):
            raise InvalidParameter("PrivateDnsName and RemovePrivateDnsName cannot be used together.")
        add_types = list(self._get_param("AddSupportedIpAddressTypes", []) or [])
        remove_types = list(self._get_param("RemoveSupportedIpAddressTypes", []) or [])
        types: list[str] | None = None
        with _LOCK:
            if add_types or remove_types:
                # Checked before anything changes: a refused change leaves the service as it was.
                config = self.ec2_backend.describe_vpc_endpoint_service_configurations([self._get_param("ServiceId")])[0]
                both = set(add_types) & set(remove_types)
                if both:
                    raise InvalidParameter(f"The IP address type {sorted(both)[0]} cannot be both added and removed.")
                current = _supported_ip_address_types(config)
                types = [t for t in IP_ADDRESS_TYPES if (t in current or t in add_types) and t not in remove_types]
                _check_ip_address_types(
                    add_types + remove_types,
                    types,
                    _load_balancer_ip_types(self.current_account, self.region, list(config.network_load_balancer_arns)),
                )
            result = original_modify(self)
            config = self.ec2_backend.configurations[self._get_param("ServiceId")]
            if remove:
                config.private_dns_name = None
            if types is not None:
                config._pl_ip_types = types
        return result

    VPCEndpointServiceConfiguration.modify_vpc_endpoint_service_configuration = (  # type: ignore[method-assign]
        modify_vpc_endpoint_service_configuration
    )

    def delete_vpc_endpoint_service_configurations(self: Any) -> ActionResult:
        """A service with pending or available connections is not deleted (Unsuccessful), as in EC2."""
        with _LOCK:
            requested = list(dict.fromkeys(self._get_param("ServiceIds", [])))
            busy = [
                sid
                for sid in requested
                if (config := self.ec2_backend.configurations.get(sid)) is not None
                and any(e.state in ACTIVE_STATES for _, e in _connections(config))
            ]
            # moto's backend deletes the others and names the unknown ones; the shared store is never emptied
            # for a moment, so no other request sees a busy service vanish.
            missing = self.ec2_backend.delete_vpc_endpoint_service_configurations([sid for sid in requested if sid not in busy])
        unsuccessful = [
            {
                "ResourceId": sid,
                "Error": {
                    "Code": "InvalidVpcEndpointService.NotFound",
                    "Message": f"The VpcEndpointService Id '{sid}' does not exist",
                },
            }
            for sid in missing
        ] + [
            {
                "ResourceId": sid,
                "Error": {
                    "Code": "ExistingVpcEndpointConnections",
                    "Message": f"Service {sid} has existing active VPC Endpoint connections",
                },
            }
            for sid in busy
        ]
        return ActionResult({"Unsuccessful": unsuccessful})

    VPCEndpointServiceConfiguration.delete_vpc_endpoint_service_configurations = (  # type: ignore[method-assign]
        delete_vpc_endpoint_service_configurations
    )


def _patch_load_balancers() -> None:
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.responses import ELBV2Response

    original_delete = ELBV2Response.delete_load_balancer

    def delete_load_balancer(self: Any) -> ActionResult:
        """moto's, refusing as ELB does: deletion protection on, or an endpoint service still using it."""
        arn = self._get_param("LoadBalancerArn")
        with _LOCK:
            lb = self.elbv2_backend.load_balancers.get(arn)
            if lb is not None:
                if lb.attrs.get("deletion_protection.enabled") == "true":
                    raise ELBClientError(
                        "OperationNotPermitted",
                        f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled",
                    )
                ec2 = ec2_backends[self.current_account][self.region]
                if any(arn in (c.network_load_balancer_arns or []) for c in list(ec2.configurations.values())):
                    raise ELBClientError(
                        "ResourceInUse",
                        f"Load balancer '{arn}' cannot be deleted because it is currently associated with another service",
                    )
            return original_delete(self)

    ELBV2Response.delete_load_balancer = delete_load_balancer  # type: ignore[method-assign]


ACCOUNT_ID_TAG = "privatelink-emulator:account-id"
"""A tag of CreateAccount that fixes the new account's id (moto draws a random one): the demo's organisation
holds the demo's accounts under their known ids. The tag itself is not kept."""


def _patch_organizations() -> None:
    from moto.organizations import models as org_models
    from moto.organizations import utils as org_utils
    from moto.organizations.exceptions import InvalidInputException

    original_init = org_models.FakeAccount.__init__
    original_create = org_models.OrganizationsBackend.create_account

    def wanted_id(kwargs: dict[str, Any]) -> str | None:
        return next((t.get("Value") for t in kwargs.get("Tags") or [] if t.get("Key") == ACCOUNT_ID_TAG), None)

    def create_account(self: Any, **kwargs: Any) -> dict[str, Any]:
        wanted = wanted_id(kwargs)
        if wanted is not None:
            if not (len(wanted) == 12 and wanted.isdigit()):
                raise InvalidInputException(f"{ACCOUNT_ID_TAG} must be a 12-digit account id")
            if any(a.id == wanted for a in self.accounts) or (self.org and self.org.master_account_id == wanted):
                raise InvalidInputException(f"account {wanted} is already in the organization")
        with _LOCK:
            return original_create(self, **kwargs)

    def __init__(self: Any, organization: Any, **kwargs: Any) -> None:
        wanted = wanted_id(kwargs)
        if wanted is None:
            original_init(self, organization, **kwargs)
            return
        kwargs = {**kwargs, "Tags": [t for t in kwargs.get("Tags") or [] if t.get("Key") != ACCOUNT_ID_TAG]}
        # Under _LOCK (held by create_account): the id generator is swapped for this one account only.
        saved = org_utils.make_random_account_id
        org_utils.make_random_account_id = lambda: wanted
        try:
            original_init(self, organization, **kwargs)
        finally:
            org_utils.make_random_account_id = saved

    org_models.FakeAccount.__init__ = __init__  # type: ignore[method-assign]
    org_models.OrganizationsBackend.create_account = create_account  # type: ignore[method-assign]


def install() -> None:
    """Patches moto once; later calls do nothing."""
    global _installed
    if _installed:
        return
    _patch_models()
    _patch_consumer_responses()
    _patch_provider_responses()
    _patch_organizations()
    _patch_load_balancers()
    _installed = True
