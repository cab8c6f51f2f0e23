// What the cargo route files share: the services and the cargo service built by the composition root.
import type { CargoService } from '../../lib/cargo/cargo-service.js';
import type { Services } from '../../lib/services.js';

export interface CargoRouteContext {
  services: Services;
  cargo: CargoService;
}
