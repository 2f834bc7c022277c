// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the code interpreter models, both directions.
#ifndef DAYTONA_CODEC_INTERPRETER_HPP
#define DAYTONA_CODEC_INTERPRETER_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/interpreter.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, interpreter_context& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const interpreter_context& c);

DAYTONA_DECL void decode_value(json::value& v, create_context_request& out, json::decoder& d);
/// `{"cwd":…,"language":…}`; absent members are left out (`{"cwd":"/tmp"}` as the SDK sends).
DAYTONA_DECL void encode(json::writer& w, const create_context_request& r);

DAYTONA_DECL void decode_value(json::value& v, list_contexts_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const list_contexts_response& l);

DAYTONA_DECL void decode_value(json::value& v, interpreter_execute_request& out, json::decoder& d);
/// `{"code":…,"contextId":…,"envs":{…},"timeout":…}`, the SDK's order; envs only when given.
DAYTONA_DECL void encode(json::writer& w, const interpreter_execute_request& r);

DAYTONA_DECL void decode_value(json::value& v, interpreter_message& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const interpreter_message& m);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/interpreter.ipp"
#endif

#endif  // DAYTONA_CODEC_INTERPRETER_HPP
