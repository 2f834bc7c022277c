// SPDX-License-Identifier: Apache-2.0
// Library version and the Daytona SDK protocol version this library speaks.
#ifndef DAYTONA_VERSION_HPP
#define DAYTONA_VERSION_HPP

#define DAYTONA_VERSION_MAJOR 0
#define DAYTONA_VERSION_MINOR 1
#define DAYTONA_VERSION_PATCH 0
#define DAYTONA_VERSION_STRING "0.1.0"

/// The official SDK version whose wire behaviour this library implements. The toolbox daemon
/// switches response formats on `X-Daytona-SDK-Version` (below 0.167.0 it merges stdout and
/// stderr), so this is what we send there.
#define DAYTONA_PROTOCOL_VERSION "0.218.0"

#endif  // DAYTONA_VERSION_HPP
