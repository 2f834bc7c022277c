// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the process models, both directions (client and emulator).
#ifndef DAYTONA_CODEC_PROCESS_HPP
#define DAYTONA_CODEC_PROCESS_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/process.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, execute_request& out, json::decoder& d);

/// `{"command":…,"timeout":…,"cwd":…,"envs":{…}}`, the TS SDK's key order; unset fields are left
/// out.
DAYTONA_DECL void encode(json::writer& w, const execute_request& r);

DAYTONA_DECL void decode_value(json::value& v, exec_result& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const exec_result& r);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/process.ipp"
#endif

#endif  // DAYTONA_CODEC_PROCESS_HPP
