global using CommissionPlanner.Domain;
global using NodaTime;
