// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of codec/config.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_CODEC_IMPL_CONFIG_IPP
#define DAYTONA_CODEC_IMPL_CONFIG_IPP

#include "daytona/codec/config.hpp"

DAYTONA_BEGIN_NAMESPACE

void decode_value(json::value& v, server_config& out, json::decoder& d) {
    d.object(v, "object", json::into("version", out.version),
             json::into("proxyTemplateUrl", out.proxy_template_url),
             json::into("proxyToolboxUrl", out.proxy_toolbox_url),
             json::into("defaultSnapshot", out.default_snapshot),
             json::into("dashboardUrl", out.dashboard_url),
             json::into("maxAutoArchiveInterval", out.max_auto_archive_interval),
             json::into("maintananceMode", out.maintenance_mode),
             json::into("environment", out.environment));
}

void encode(json::writer& w, const server_config& c) {
    w.begin_object()
        .member("version", c.version)
        .member("proxyTemplateUrl", c.proxy_template_url)
        .member("proxyToolboxUrl", c.proxy_toolbox_url)
        .member("defaultSnapshot", c.default_snapshot)
        .member("dashboardUrl", c.dashboard_url)
        .member("maxAutoArchiveInterval", c.max_auto_archive_interval)
        .member("maintananceMode", c.maintenance_mode)
        .member("environment", c.environment)
        .end_object();
}

void decode_value(json::value& v, push_access& out, json::decoder& d) {
    bool has_url = false;
    d.object(v, "object", json::into("accessKey", out.access_key), json::into("secret", out.secret),
             json::into("sessionToken", out.session_token),
             json::into("storageUrl", out.storage_url, &has_url),
             json::into("organizationId", out.organization_id), json::into("bucket", out.bucket),
             json::into("region", out.region));
    if (d.ok() && !has_url) d.missing("storageUrl");
}

void encode(json::writer& w, const push_access& p) {
    w.begin_object()
        .member("accessKey", p.access_key)
        .member("secret", p.secret)
        .member("sessionToken", p.session_token)
        .member("storageUrl", p.storage_url)
        .member("organizationId", p.organization_id)
        .member("bucket", p.bucket)
        .member("region", p.region)
        .end_object();
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_CODEC_IMPL_CONFIG_IPP
