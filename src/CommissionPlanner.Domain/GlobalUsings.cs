// NodaTime types appear in almost every file of the domain.
global using NodaTime;
