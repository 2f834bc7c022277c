// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the configuration and push-access models, both directions.
#ifndef DAYTONA_CODEC_CONFIG_HPP
#define DAYTONA_CODEC_CONFIG_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/config.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, server_config& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const server_config& c);

DAYTONA_DECL void decode_value(json::value& v, push_access& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const push_access& p);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/config.ipp"
#endif

#endif  // DAYTONA_CODEC_CONFIG_HPP
