// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the file-system models, both directions (client and emulator).
#ifndef DAYTONA_CODEC_FILES_HPP
#define DAYTONA_CODEC_FILES_HPP

#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/files.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, file_info& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const file_info& f);

DAYTONA_DECL void decode_value(json::value& v, file_match& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const file_match& m);

DAYTONA_DECL void decode_value(json::value& v, replace_request& out, json::decoder& d);
/// `{"files":[…],"newValue":…,"pattern":…}`, the TS SDK's key order.
DAYTONA_DECL void encode(json::writer& w, const replace_request& r);

DAYTONA_DECL void decode_value(json::value& v, replace_result& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const replace_result& r);

DAYTONA_DECL void decode_value(json::value& v, search_files_response& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const search_files_response& r);

DAYTONA_DECL void decode_value(json::value& v, files_download_request& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const files_download_request& r);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/files.ipp"
#endif

#endif  // DAYTONA_CODEC_FILES_HPP
