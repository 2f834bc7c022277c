// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the snapshot models, both directions (client and emulator).
#ifndef DAYTONA_CODEC_SNAPSHOT_HPP
#define DAYTONA_CODEC_SNAPSHOT_HPP

#include "daytona/codec/sandbox.hpp"
#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/snapshot.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, snapshot_info& out, json::decoder& d);

/// The SnapshotDto as the API writes it (nullable fields as null; memory is `mem` here).
DAYTONA_DECL void encode(json::writer& w, const snapshot_info& s);

DAYTONA_DECL void decode_value(json::value& v, snapshot_page& out, json::decoder& d);

DAYTONA_DECL void encode(json::writer& w, const snapshot_page& p);

DAYTONA_DECL void decode_value(json::value& v, create_snapshot_request& out, json::decoder& d);

/// The CreateSnapshot body, in the TS SDK's key order.
DAYTONA_DECL void encode(json::writer& w, const create_snapshot_request& r);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/snapshot.ipp"
#endif

#endif  // DAYTONA_CODEC_SNAPSHOT_HPP
