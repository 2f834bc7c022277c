// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the language server models, both directions.
#ifndef DAYTONA_CODEC_LSP_HPP
#define DAYTONA_CODEC_LSP_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/redact.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/lsp.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, lsp_server_request& out, json::decoder& d);
/// `{"languageId":…,"pathToProject":…}`.
DAYTONA_DECL void encode(json::writer& w, const lsp_server_request& r);

DAYTONA_DECL void decode_value(json::value& v, lsp_document_request& out, json::decoder& d);
/// `{"languageId":…,"pathToProject":…,"uri":…}`.
DAYTONA_DECL void encode(json::writer& w, const lsp_document_request& r);

DAYTONA_DECL void decode_value(json::value& v, lsp_position& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const lsp_position& p);

DAYTONA_DECL void decode_value(json::value& v, lsp_completion_context& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const lsp_completion_context& c);

DAYTONA_DECL void decode_value(json::value& v, lsp_completion_params& out, json::decoder& d);
/// `{"languageId":…,"pathToProject":…,"uri":…,"position":{…}[,"context":{…}]}`.
DAYTONA_DECL void encode(json::writer& w, const lsp_completion_params& p);

DAYTONA_DECL void decode_value(json::value& v, lsp_completion_item& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const lsp_completion_item& i);

DAYTONA_DECL void decode_value(json::value& v, lsp_completion_list& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const lsp_completion_list& l);

DAYTONA_DECL void decode_value(json::value& v, lsp_range& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const lsp_range& r);

DAYTONA_DECL void decode_value(json::value& v, lsp_location& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const lsp_location& l);

DAYTONA_DECL void decode_value(json::value& v, lsp_symbol& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const lsp_symbol& s);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/lsp.ipp"
#endif

#endif  // DAYTONA_CODEC_LSP_HPP
