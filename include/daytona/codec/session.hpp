// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the session and process-info models, both directions.
#ifndef DAYTONA_CODEC_SESSION_HPP
#define DAYTONA_CODEC_SESSION_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/redact.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/session.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, session_command& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const session_command& c);

DAYTONA_DECL void decode_value(json::value& v, session_info& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const session_info& s);

DAYTONA_DECL void decode_value(json::value& v, create_session_request& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const create_session_request& r);

DAYTONA_DECL void decode_value(json::value& v, session_execute_request& out, json::decoder& d);
/// `{"command":…,"runAsync":…}`, as the TS SDK sends it.
DAYTONA_DECL void encode(json::writer& w, const session_execute_request& r);

DAYTONA_DECL void decode_value(json::value& v, session_execute_response& out, json::decoder& d);
/// `{"cmdId":…,"output":…,"stdout":…,"stderr":…,"exitCode":…}`, the daemon's order; only
/// `cmdId` for a command still running.
DAYTONA_DECL void encode(json::writer& w, const session_execute_response& r);

DAYTONA_DECL void decode_value(json::value& v, session_logs& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const session_logs& l);

DAYTONA_DECL void decode_value(json::value& v, session_input& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const session_input& i);

DAYTONA_DECL void decode_value(json::value& v, code_run_request& out, json::decoder& d);
/// `{"code":…,"language":…,"argv":[…],"envs":{…},"timeout":…}`, the TS SDK's key order.
DAYTONA_DECL void encode(json::writer& w, const code_run_request& r);

DAYTONA_DECL void decode_value(json::value& v, code_run_result& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const code_run_result& r);

DAYTONA_DECL void decode_value(json::value& v, dir_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const dir_response& r);

DAYTONA_DECL void decode_value(json::value& v, port_list& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const port_list& p);

DAYTONA_DECL void decode_value(json::value& v, port_in_use& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const port_in_use& p);

DAYTONA_DECL void decode_value(json::value& v, version_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const version_response& r);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/session.ipp"
#endif

#endif  // DAYTONA_CODEC_SESSION_HPP
